package io.gonkanode.api.view;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The part of node-registry's internal API api-node uses: the routable node view, and its load report. */
@RegisterRestClient(configKey = "node-registry")
@ClientHeaderParam(name = "Authorization", value = "{io.gonkanode.common.RegistryToken.bearer}", required = false)
@Path("/internal/v1")
public interface RegistryNodesApi {

    /** Every node with what routing needs ({@link RegistryNodes}); 304 when unchanged since {@code etag}. */
    @GET
    @Path("nodes")
    @Produces(MediaType.APPLICATION_JSON)
    Response nodes(@HeaderParam("If-None-Match") String etag);

    /** The requests this instance has in flight per node, shown as lock_count by the Admin API. */
    @PUT
    @Path("load")
    @Consumes(MediaType.APPLICATION_JSON)
    Response load(LoadReporter.Report report);
}
