package io.gonkanode.sim.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.sim.config.SimConfig;
import io.gonkanode.sim.inference.InferenceStats;
import io.gonkanode.sim.fault.Faults;
import io.gonkanode.sim.node.MlNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Simulator-only controls (not on a real ML node): faults at runtime, counters, what was answered. */
@Path("/sim/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Simulator control")
public class SimControlResource {

    private final Faults faults;
    private final InferenceStats stats;
    private final MlNode node;
    private final SimConfig config;
    private final ObjectMapper json;

    public SimControlResource(Faults faults, InferenceStats stats, MlNode node, SimConfig config, ObjectMapper json) {
        this.faults = faults;
        this.stats = stats;
        this.node = node;
        this.config = config;
        this.json = json;
    }

    @GET
    @Path("faults")
    public Faults.Settings faults() {
        return faults.get();
    }

    @PUT
    @Path("faults")
    @Operation(summary = "Replace the faults in force; omitted fields become false/0")
    public Faults.Settings setFaults(byte[] body) throws java.io.IOException {
        Faults.Settings settings = body == null || body.length == 0
                ? new Faults.Settings(false, false, false, false, false, false, 0)
                : json.readValue(body, Faults.Settings.class);
        faults.set(settings);
        return settings;
    }

    @GET
    @Path("stats")
    @Operation(summary = "Completions in flight now and at most, started and completed")
    public InferenceStats.Snapshot stats() {
        return stats.snapshot();
    }

    @POST
    @Path("stats/reset")
    public InferenceStats.Snapshot resetStats() {
        stats.reset();
        return stats.snapshot();
    }

    @GET
    @Path("responses/{requestId}")
    @Operation(summary = "The exact bytes last answered to a request with this X-Request-Id")
    public Response response(@PathParam("requestId") String requestId) {
        byte[] body = stats.response(requestId);
        return body == null ? Response.status(404).entity(json.createObjectNode().put("detail", "Not Found")).build()
                : Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE).build();
    }

    @GET
    @Path("info")
    public ObjectNode info() {
        ObjectNode out = json.createObjectNode();
        out.put("inference_port", node.inferenceServer().port());
        out.put("inference_listening", node.inferenceServer().listening());
        out.put("backends", config.backends());
        out.put("nonces_per_minute", config.noncesPerMinute());
        out.set("models", json.valueToTree(config.models()));
        return out;
    }
}
