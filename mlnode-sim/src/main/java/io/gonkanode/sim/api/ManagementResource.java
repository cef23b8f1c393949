package io.gonkanode.sim.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.sim.config.SimConfig;
import io.gonkanode.sim.node.MlNode;
import io.gonkanode.sim.node.SimNode;
import io.gonkanode.sim.node.SimNodes;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Node-level management routes of mlnode 3.0.14: state, stop, versions, health probes and GPUs; each of the node it is asked on. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Management")
public class ManagementResource {

    private final SimNodes nodes;
    private final SimConfig config;
    private final ObjectMapper json;

    public ManagementResource(SimNodes nodes, SimConfig config, ObjectMapper json) {
        this.nodes = nodes;
        this.config = config;
        this.json = json;
    }

    @GET
    @Path("api/v1/state")
    @Operation(summary = "Service state; poc_status, inference_healthy and loaded_model only while INFERENCE")
    public ObjectNode state(@Context HttpServerRequest request) throws InterruptedException {
        SimNode at = nodes.at(request);
        MlNode node = at.ml();
        long delay = at.faults().get().stateDelayMs();
        if (delay > 0) {
            Thread.sleep(delay);
        }
        ObjectNode out = json.createObjectNode();
        out.put("version", config.version());
        String state = node.serviceState();
        out.put("state", state);
        if ("INFERENCE".equals(state)) {
            out.put("poc_status", node.inferenceRunning() ? at.poc().pocStatus() : "NO_BACKENDS");
            out.put("inference_healthy", node.inferenceHealthy());
            out.put("loaded_model", node.loadedModel());
        } else {
            out.putNull("poc_status");
            out.putNull("inference_healthy");
            out.putNull("loaded_model");
        }
        out.put("poc_validation_inference", config.inferenceDuringPoc());
        return out;
    }

    @POST
    @Path("api/v1/stop")
    @Operation(summary = "Stop everything (PoC, vLLM)")
    public ObjectNode stop(@Context HttpServerRequest request) {
        nodes.at(request).ml().stopAll();
        return json.createObjectNode().put("status", "OK");
    }

    @GET
    @Path("api/v1/versions")
    public ObjectNode versions(@Context HttpServerRequest request) {
        MlNode node = nodes.at(request).ml();
        ObjectNode out = json.createObjectNode();
        out.put("version", config.version());
        if (node.inferenceRunning()) {
            out.put("vllm_version", "0.20.0-sim");
        } else {
            out.putNull("vllm_version");
        }
        out.put("poc_validation_inference", config.inferenceDuringPoc());
        return out;
    }

    @GET
    @Path("health")
    @Operation(summary = "Management health (not the inference-port /health)")
    public Response health(@Context HttpServerRequest request) {
        return healthResponse(nodes.at(request).ml());
    }

    @GET
    @Path("livez")
    public Response livez(@Context HttpServerRequest request) {
        return healthResponse(nodes.at(request).ml());
    }

    @GET
    @Path("readyz")
    public Response readyz(@Context HttpServerRequest request) {
        MlNode node = nodes.at(request).ml();
        boolean ready = !"INFERENCE".equals(node.serviceState()) || node.inferenceHealthy();
        return Response.status(ready ? 200 : 503).entity(json.createObjectNode().put("ready", ready)).build();
    }

    private Response healthResponse(MlNode node) {
        ObjectNode out = json.createObjectNode();
        out.put("status", "healthy");
        out.put("service_state", node.serviceState());
        ObjectNode gpu = out.putObject("gpu");
        gpu.put("available", true);
        gpu.put("count", config.gpuCount());
        gpu.set("devices", devices(node));
        ObjectNode managers = out.putObject("managers");
        managers.putObject("pow").put("running", false).put("healthy", true);
        managers.putObject("inference").put("running", node.inferenceRunning()).put("healthy", true);
        managers.putObject("train").put("running", false).put("healthy", true);
        return Response.ok(out).build();
    }

    @GET
    @Path("api/v1/gpu/devices")
    public ObjectNode gpuDevices(@Context HttpServerRequest request) {
        ObjectNode out = json.createObjectNode();
        out.set("devices", devices(nodes.at(request).ml()));
        out.put("count", config.gpuCount());
        return out;
    }

    @GET
    @Path("api/v1/gpu/driver")
    public ObjectNode gpuDriver() {
        return json.createObjectNode().put("driver_version", "550.90.07").put("cuda_driver_version", "12.4")
                .put("nvml_version", "12.550.90.07");
    }

    private ArrayNode devices(MlNode node) {
        ArrayNode devices = json.createArrayNode();
        boolean busy = node.inferenceRunning();
        for (int i = 0; i < config.gpuCount(); i++) {
            ObjectNode d = devices.addObject();
            d.put("index", i);
            d.put("name", config.gpuName());
            d.put("total_memory_mb", 81559);
            d.put("free_memory_mb", busy ? 4096 : 81000);
            d.put("used_memory_mb", busy ? 77463 : 559);
            d.put("utilization_percent", busy ? 35 : 0);
            d.put("temperature_c", busy ? 61 : 34);
            d.put("is_available", true);
            d.putNull("error_message");
        }
        return devices;
    }
}
