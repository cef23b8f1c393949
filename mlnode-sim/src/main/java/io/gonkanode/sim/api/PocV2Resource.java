package io.gonkanode.sim.api;

import io.gonkanode.sim.fastapi.Bodies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.sim.poc.PocEngine;
import io.gonkanode.sim.poc.PocRequests;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** PoC v2 ({@code /api/v1/inference/pow/*}), the routes the network node drives during a PoC round. */
@Path("/api/v1/inference/pow")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "PoC v2")
public class PocV2Resource {

    private final PocEngine poc;

    public PocV2Resource(PocEngine poc) {
        this.poc = poc;
    }

    @POST
    @Path("init/generate")
    @Operation(summary = "Start continuous generation on every backend; artifacts go to <url>/generated")
    public ObjectNode initGenerate(byte[] body) {
        return poc.initGenerate(PocRequests.InitGenerate.of(Bodies.parse(body, PocRequests.INIT_GENERATE)));
    }

    @POST
    @Path("generate")
    @Operation(summary = "Compute given nonces; with validation.artifacts, compare and post <url>/validated")
    public ObjectNode generate(byte[] body) {
        return poc.generate(PocRequests.Generate.of(Bodies.parse(body, PocRequests.GENERATE)));
    }

    @GET
    @Path("generate/{requestId: .+}")
    @Operation(summary = "Poll a queued /generate job by its <port>:<uuid> id")
    public ObjectNode result(@PathParam("requestId") String requestId) {
        return poc.result(requestId);
    }

    @GET
    @Path("status")
    public ObjectNode status() {
        return poc.status();
    }

    @POST
    @Path("stop")
    public ObjectNode stop() {
        return poc.stop();
    }
}
