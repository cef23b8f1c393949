package io.gonkanode.registry.round;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.common.rest.ApiException;
import io.gonkanode.registry.web.JsonBodies;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /internal/v1/chain}: poc-collector, following a chain node, tells the registry the governance models, its
 * nodes' epoch assignment and the preserved nodes ({@link ChainView}); registration, the node manager and the Admin
 * API's {@code epoch_models}/{@code epoch_ml_nodes} use them.
 */
@Path("/internal/v1/chain")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal")
public class ChainViewResource {

    static final String EXAMPLE = """
            {"epoch": 42,
             "governance_models": {"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8": ["--max-model-len", "240000"]},
             "epoch_models": {"node1": {"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8": {"id": "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"}}},
             "epoch_ml_nodes": {"node1": {"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8": {"node_id": "node1", "poc_weight": 6357}}},
             "preserved_nodes": {"node1": ["Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"]}}""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChainViews views;

    public ChainViewResource(ChainViews views) {
        this.views = views;
    }

    @GET
    @Operation(summary = "The chain's view of this host's nodes, as last sent")
    @APIResponse(responseCode = "404", description = "No chain view yet (the collector has not sent one)")
    public ChainView get() {
        return views.current().orElseThrow(() -> ApiException.notFound("no chain view yet"));
    }

    @PUT
    @Operation(summary = "Store the chain's view of this host's nodes (idempotent)")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "view", value = EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Invalid view; every problem is listed")
    public ChainView put(@HeaderParam("Content-Type") String contentType, byte[] body) {
        return views.update(read(JsonBodies.read(contentType, body)));
    }

    @DELETE
    @Operation(summary = "Forget the chain's view (a new chain): the configured models apply until the collector sends the next")
    @APIResponse(responseCode = "200", description = "true when there was one")
    public boolean delete() {
        return views.clear();
    }

    static ChainView read(JsonNode json) {
        if (!json.isObject()) {
            throw ApiException.badRequest("invalid chain view: expected a JSON object");
        }
        List<String> problems = new ArrayList<>();
        JsonNode e = json.get("epoch");
        if (e == null || !e.isIntegralNumber() || !e.canConvertToLong() || e.longValue() < 0) {
            problems.add("epoch must be a non-negative integer");
        }
        Map<String, List<String>> governance = lists(json, "governance_models", problems);
        if (governance.isEmpty() && !problems.stream().anyMatch(p -> p.startsWith("governance_models"))) {
            problems.add("governance_models must name at least one model");
        }
        Map<String, Map<String, Object>> epochModels = objects(json, "epoch_models", problems);
        Map<String, Map<String, Object>> epochMlNodes = objects(json, "epoch_ml_nodes", problems);
        Map<String, List<String>> preserved = lists(json, "preserved_nodes", problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid chain view: " + String.join("; ", problems));
        }
        return new ChainView(e.longValue(), governance, epochModels, epochMlNodes, preserved, null);
    }

    /** {@code {"<key>": ["<string>", ...]}}. */
    private static Map<String, List<String>> lists(JsonNode json, String field, List<String> problems) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        JsonNode v = json.get(field);
        if (v == null || !v.isObject()) {
            problems.add(field + " must be an object {\"<id>\": [\"<string>\", ...]}");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            List<String> list = new ArrayList<>();
            boolean ok = entry.getValue().isArray();
            for (JsonNode item : entry.getValue()) {
                ok &= item.isTextual();
                list.add(item.asText());
            }
            if (!ok || entry.getKey().isEmpty()) {
                problems.add(field + "." + entry.getKey() + " must be a list of strings under a non-empty id");
            } else {
                out.put(entry.getKey(), List.copyOf(list));
            }
        }
        return out;
    }

    /** {@code {"<node id>": {"<model id>": {...}}}}, the inner objects kept as they are. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> objects(JsonNode json, String field, List<String> problems) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        JsonNode v = json.get(field);
        if (v == null || !v.isObject()) {
            problems.add(field + " must be an object {\"<node id>\": {\"<model id>\": {...}}}");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            boolean ok = entry.getValue().isObject() && !entry.getKey().isEmpty();
            for (JsonNode inner : entry.getValue()) {
                ok &= inner.isObject();
            }
            if (!ok) {
                problems.add(field + "." + entry.getKey() + " must be an object of objects, per model");
            } else {
                out.put(entry.getKey(), JSON.convertValue(entry.getValue(), LinkedHashMap.class));
            }
        }
        return out;
    }
}
