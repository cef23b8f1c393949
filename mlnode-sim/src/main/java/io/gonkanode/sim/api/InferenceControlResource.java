package io.gonkanode.sim.api;

import io.gonkanode.sim.fastapi.Bodies;
import io.gonkanode.sim.fastapi.Pydantic;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.sim.fastapi.Pydantic.Kind;
import io.gonkanode.sim.node.MlNode;
import io.gonkanode.sim.node.SimNodes;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.concurrent.CompletionStage;

/** {@code /api/v1/inference/up|up/async|up/status|down}: bringing vLLM up and down. */
@Path("/api/v1/inference")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Inference")
public class InferenceControlResource {

    static final Pydantic.Model UP = new Pydantic.Model("InferenceUpRequest", false)
            .required("model", Kind.STR)
            .optional("dtype", Kind.STR, com.fasterxml.jackson.databind.node.TextNode.valueOf("auto"))
            .optionalList("additional_args", Kind.STR, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode());

    private final SimNodes nodes;
    private final ObjectMapper json;

    public InferenceControlResource(SimNodes nodes, ObjectMapper json) {
        this.nodes = nodes;
        this.json = json;
    }

    @POST
    @Path("up")
    @Operation(summary = "Start vLLM and wait until it serves; a failure is 200 {\"status\":\"ERROR\",\"message\"}")
    public CompletionStage<ObjectNode> up(byte[] body, @Context HttpServerRequest http) {
        ObjectNode request = Bodies.parse(body, UP);
        return nodes.at(http).ml().startInference(request.get("model").textValue()).thenApply(outcome -> {
            ObjectNode out = json.createObjectNode();
            if (outcome.ok()) {
                out.put("status", "OK");
            } else {
                out.put("status", "ERROR");
                out.put("message", outcome.message());
            }
            return out;
        });
    }

    @POST
    @Path("up/async")
    @Operation(summary = "Start vLLM in the background")
    public ObjectNode upAsync(byte[] body, @Context HttpServerRequest http) {
        ObjectNode request = Bodies.parse(body, UP);
        nodes.at(http).ml().startInference(request.get("model").textValue());
        return json.createObjectNode().put("status", "starting").put("message", "Inference startup initiated in background");
    }

    @GET
    @Path("up/status")
    public MlNode.UpState upStatus(@Context HttpServerRequest http) {
        return nodes.at(http).ml().upState();
    }

    @POST
    @Path("down")
    @Operation(summary = "Stop vLLM")
    public ObjectNode down(@Context HttpServerRequest http) {
        nodes.at(http).ml().stopInference();
        return json.createObjectNode().put("status", "OK");
    }
}
