package io.gonkanode.sim.api;

import io.gonkanode.sim.fastapi.Bodies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.sim.node.SimNodes;
import io.gonkanode.sim.poc.PocEngine;
import io.vertx.core.http.HttpServerRequest;
import io.gonkanode.sim.poc.PocRequests;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** PoC v2 ({@code /api/v1/inference/pow/*}), the routes the network node drives during a PoC round. */
@Path("/api/v1/inference/pow")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "PoC v2")
public class PocV2Resource {

    private final SimNodes nodes;

    public PocV2Resource(SimNodes nodes) {
        this.nodes = nodes;
    }

    private PocEngine poc(HttpServerRequest request) {
        return nodes.at(request).poc();
    }

    @POST
    @Path("init/generate")
    @Operation(summary = "Start continuous generation on every backend; artifacts go to <url>/generated")
    public ObjectNode initGenerate(byte[] body, @Context HttpServerRequest request) {
        return poc(request).initGenerate(PocRequests.InitGenerate.of(Bodies.parse(body, PocRequests.INIT_GENERATE)));
    }

    @POST
    @Path("generate")
    @Operation(summary = "Compute given nonces; with validation.artifacts, compare and post <url>/validated")
    public ObjectNode generate(byte[] body, @Context HttpServerRequest request) {
        return poc(request).generate(PocRequests.Generate.of(Bodies.parse(body, PocRequests.GENERATE)));
    }

    @GET
    @Path("generate/{requestId: .+}")
    @Operation(summary = "Poll a queued /generate job by its <port>:<uuid> id")
    public ObjectNode result(@PathParam("requestId") String requestId, @Context HttpServerRequest request) {
        return poc(request).result(requestId);
    }

    @GET
    @Path("status")
    public ObjectNode status(@Context HttpServerRequest request) {
        return poc(request).status();
    }

    @POST
    @Path("stop")
    public ObjectNode stop(@Context HttpServerRequest request) {
        return poc(request).stop();
    }
}
