package io.gonkanode.sim.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.sim.config.SimConfig;
import io.gonkanode.sim.inference.InferenceStats;
import io.gonkanode.sim.fault.Faults;
import io.gonkanode.sim.node.SimNode;
import io.gonkanode.sim.node.SimNodes;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Simulator-only controls (not on a real ML node): faults at runtime, counters, what was answered, each of the node asked; the nodes played. */
@Path("/sim/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Simulator control")
public class SimControlResource {

    private final SimNodes nodes;
    private final SimConfig config;
    private final ObjectMapper json;

    public SimControlResource(SimNodes nodes, SimConfig config, ObjectMapper json) {
        this.nodes = nodes;
        this.config = config;
        this.json = json;
    }

    @GET
    @Path("faults")
    public Faults.Settings faults(@Context HttpServerRequest request) {
        return nodes.at(request).faults().get();
    }

    @PUT
    @Path("faults")
    @Operation(summary = "Replace the faults in force on this node; omitted fields become false/0")
    public Faults.Settings setFaults(byte[] body, @Context HttpServerRequest request) throws java.io.IOException {
        Faults.Settings settings = body == null || body.length == 0
                ? new Faults.Settings(false, false, false, false, false, false, 0)
                : json.readValue(body, Faults.Settings.class);
        nodes.at(request).faults().set(settings);
        return settings;
    }

    @GET
    @Path("stats")
    @Operation(summary = "Completions in flight now and at most, started and completed")
    public InferenceStats.Snapshot stats(@Context HttpServerRequest request) {
        return nodes.at(request).stats().snapshot();
    }

    @POST
    @Path("stats/reset")
    public InferenceStats.Snapshot resetStats(@Context HttpServerRequest request) {
        InferenceStats stats = nodes.at(request).stats();
        stats.reset();
        return stats.snapshot();
    }

    @GET
    @Path("responses/{requestId}")
    @Operation(summary = "The exact bytes last answered to a request with this X-Request-Id")
    public Response response(@PathParam("requestId") String requestId, @Context HttpServerRequest request) {
        byte[] body = nodes.at(request).stats().response(requestId);
        return body == null ? Response.status(404).entity(json.createObjectNode().put("detail", "Not Found")).build()
                : Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE).build();
    }

    @GET
    @Path("info")
    @Operation(summary = "This node: its index, ports, backends, speed and models")
    public ObjectNode info(@Context HttpServerRequest request) {
        return describe(nodes.at(request))
                .put("backends", config.backends())
                .put("nonces_per_minute", config.noncesPerMinute())
                .set("models", json.valueToTree(config.models()));
    }

    @GET
    @Path("nodes")
    @Operation(summary = "Every ML node this process plays (SIM_NODES), with its ports and state")
    public ArrayNode all() {
        ArrayNode out = json.createArrayNode();
        nodes.all().forEach(n -> out.add(describe(n)));
        return out;
    }

    private ObjectNode describe(SimNode n) {
        ObjectNode out = json.createObjectNode();
        out.put("node", n.index());
        out.put("management_port", n.managementPort());
        out.put("inference_port", n.ml().inferenceServer().port());
        out.put("inference_listening", n.ml().inferenceServer().listening());
        out.put("state", n.ml().serviceState());
        return out;
    }
}
