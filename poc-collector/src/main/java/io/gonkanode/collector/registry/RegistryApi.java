package io.gonkanode.collector.registry;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The part of node-registry's internal API the collector uses. */
@RegisterRestClient(configKey = "node-registry")
@ClientHeaderParam(name = "Authorization", value = "{io.gonkanode.common.RegistryToken.bearer}", required = false)
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface RegistryApi {

    /** Every node with its node_num, config and observed state; 304 when unchanged since {@code etag}. */
    @GET
    @Path("nodes")
    Response nodes(@HeaderParam("If-None-Match") String etag);

    /** Announces the current PoC round (idempotent). */
    @PUT
    @Path("round")
    @Consumes(MediaType.APPLICATION_JSON)
    Response announce(RoundAnnouncement round);

    /** The chain's view of this host's nodes: governance models, epoch assignment, preserved nodes (idempotent). */
    @PUT
    @Path("chain")
    @Consumes(MediaType.APPLICATION_JSON)
    Response chainView(com.fasterxml.jackson.databind.node.ObjectNode view);

}
