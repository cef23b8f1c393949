package io.gonkanode.registry.selftest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** poc-collector's self-test sink: one-off callback runs whose artifacts stay off the chain. */
@RegisterRestClient(configKey = "poc-collector")
@ClientHeaderParam(name = "Authorization", value = "{io.gonkanode.registry.selftest.CollectorToken.bearer}", required = false)
@Path("/internal/v1/selftests")
@Produces(MediaType.APPLICATION_JSON)
public interface CollectorSelfTestApi {

    /** {@code {"id", "callback_path"}}. */
    @POST
    JsonNode open();

    /** {@code {"count", "batches", "dropped", "block_hash", "block_height", "public_key", "first_at_millis", "last_at_millis", "artifacts"}}. */
    @GET
    @Path("{id}")
    JsonNode read(@PathParam("id") String id, @QueryParam("limit") int limit);

    @DELETE
    @Path("{id}")
    boolean close(@PathParam("id") String id);
}
