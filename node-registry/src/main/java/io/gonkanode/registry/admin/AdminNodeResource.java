package io.gonkanode.registry.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.registry.node.Node;
import io.gonkanode.registry.node.NodeRejected;
import io.gonkanode.registry.node.NodeService;
import io.gonkanode.registry.node.NodeSpec;
import io.gonkanode.registry.node.NodeSpecReader;
import io.gonkanode.common.rest.ApiException;
import io.gonkanode.common.rest.ErrorBody;
import io.gonkanode.registry.selftest.SelfTests;
import io.gonkanode.registry.web.JsonBodies;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * The gonka-compatible Admin API ({@code /admin/v1/nodes}), with upstream v0.2.14's routes, shapes and
 * status codes. Bodies are read by hand so that a missing Content-Type is accepted (as upstream's
 * clients send none) and every type problem is named.
 */
@Path("/admin/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin API", description = "Register and manage ML nodes (gonka-compatible)")
public class AdminNodeResource {

    static final String NODE_EXAMPLE = """
            {"id": "node1", "host": "10.0.0.21", "inference_port": 5050, "poc_port": 8080, "max_concurrent": 500,
             "models": {"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8": {"args": ["--tensor-parallel-size", "4"]}}}""";
    static final String NODE_RESPONSE_EXAMPLE = """
            {"host": "10.0.0.21", "inference_segment": "", "inference_port": 5050, "poc_segment": "", "poc_port": 8080,
             "models": {"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8": {"args": ["--tensor-parallel-size", "4"]}},
             "id": "node1", "max_concurrent": 500, "node_num": 1, "hardware": null}""";
    static final String ERROR_EXAMPLE = """
            {"error": "failed to create node: validation failed: inference_port must be between 1 and 65535, got 0"}""";

    private final NodeService nodes;
    private final NodeEntries entries;
    private final SelfTests selfTests;

    public AdminNodeResource(NodeService nodes, NodeEntries entries, SelfTests selfTests) {
        this.nodes = nodes;
        this.entries = entries;
        this.selfTests = selfTests;
    }

    @POST
    @Operation(summary = "Register a node, or update it when the id exists",
            description = "Upstream's upsert. The host may carry a scheme (http://10.0.0.21); it is stored without it.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NodeView.class),
            examples = @ExampleObject(name = "register", value = NODE_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The stored node",
            content = @Content(schema = @Schema(implementation = NodeView.class),
                    examples = @ExampleObject(name = "stored", value = NODE_RESPONSE_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Malformed or invalid node; every problem is listed",
            content = @Content(schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "invalid", value = ERROR_EXAMPLE)))
    @APIResponse(responseCode = "413", description = "Body over 1 MiB")
    @APIResponse(responseCode = "415", description = "Content-Type that is not JSON")
    public NodeView upsert(@HeaderParam("Content-Type") String contentType, byte[] body) {
        return NodeView.of(save(read(contentType, body)));
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Update a node (or create it)",
            description = "Same as POST. The body id may be omitted; if given it must equal the path id.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NodeView.class),
            examples = @ExampleObject(name = "update", value = NODE_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The stored node",
            content = @Content(schema = @Schema(implementation = NodeView.class),
                    examples = @ExampleObject(name = "stored", value = NODE_RESPONSE_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Malformed or invalid node, or path and body ids differ",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public NodeView put(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType, byte[] body) {
        NodeSpec spec = read(contentType, body);
        if (spec.id().isBlank()) {
            spec = new NodeSpec(id, spec.host(), spec.inferenceSegment(), spec.inferencePort(), spec.pocSegment(),
                    spec.pocPort(), spec.maxConcurrent(), spec.models(), spec.hardware());
        } else if (!spec.id().trim().equals(id)) {
            throw ApiException.badRequest("failed to update node: the id in the path ('" + id
                    + "') and in the body ('" + spec.id() + "') differ");
        }
        return NodeView.of(save(spec));
    }

    @POST
    @Path("batch")
    @Operation(summary = "Register (or update) many nodes",
            description = "201 with the array when all succeed; 206 {\"nodes\",\"errors\"} when some fail; 400 when all fail. "
                    + "Takes node-config.json's array, or what GET /admin/v1/nodes answers (here or on upstream's api): each "
                    + "{\"node\", \"state\"} entry is read as its node, so an export is imported with one call.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = NodeView.class),
            examples = @ExampleObject(name = "batch", value = "[" + NODE_EXAMPLE + "]")))
    @APIResponse(responseCode = "201", description = "All nodes stored",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = NodeView.class)))
    @APIResponse(responseCode = "206", description = "Some nodes stored",
            content = @Content(schema = @Schema(implementation = BatchPartial.class),
                    examples = @ExampleObject(name = "partial", value = """
                            {"nodes": [""" + NODE_RESPONSE_EXAMPLE + """
                            ], "errors": ["node[1] (id: node2): failed to create node: validation failed: at least one model must be specified"]}""")))
    @APIResponse(responseCode = "400", description = "No node stored",
            content = @Content(examples = @ExampleObject(name = "all failed", value = """
                    {"error": {"error": "all nodes failed validation", "errors": ["node[0] (id: ): failed to create node: validation failed: node id is required and cannot be empty"]}}""")))
    public Response batch(@HeaderParam("Content-Type") String contentType, byte[] body) {
        JsonNode json = JsonBodies.read(contentType, body);
        if (!json.isArray()) {
            throw ApiException.badRequest("invalid request body: a batch must be a JSON array of nodes");
        }
        if (json.isEmpty()) {
            throw ApiException.badRequest("invalid request body: the batch is empty");
        }
        List<NodeService.BatchItem> items = new ArrayList<>();
        for (JsonNode element : json) {
            // an entry of GET /admin/v1/nodes ({"node", "state"}, ours or upstream's) is its node: an export posts back as is
            boolean entry = element.isObject() && element.path("node").isObject() && !element.has("id");
            NodeSpecReader.Result r = NodeSpecReader.read(entry ? element.get("node") : element);
            items.add(new NodeService.BatchItem(r.spec(), r.problems()));
        }
        NodeService.BatchResult result = nodes.batch(items);
        List<NodeView> saved = result.saved().stream().map(NodeView::of).toList();
        if (result.errors().isEmpty()) {
            return Response.status(201).entity(saved).build();
        }
        if (saved.isEmpty()) {
            throw new ApiException(400, "all nodes failed validation",
                    new BatchPartial.AllFailed("all nodes failed validation", result.errors()));
        }
        return Response.status(206).entity(new BatchPartial(saved, result.errors())).build();
    }

    @GET
    @Operation(summary = "List every node with its observed state", description = "Ordered by node_num.")
    @APIResponse(responseCode = "200", description = "Array of {\"node\", \"state\"}",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = NodeEntry.class)))
    public List<NodeEntry> list() {
        return entries.of(nodes.view());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One node with its observed state (not in upstream)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = NodeEntry.class)))
    @APIResponse(responseCode = "404", description = "Unknown id",
            content = @Content(examples = @ExampleObject(name = "unknown", value = "{\"error\": \"node not found: node9\"}")))
    public NodeEntry get(@PathParam("id") String id) {
        return nodes.view(id).map(v -> entries.of(v).get(0)).orElseThrow(() -> notFound(id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove a node", description = "Answers the bare JSON true, or false for an unknown id (still 200), as upstream.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.BOOLEAN),
            examples = @ExampleObject(name = "deleted", value = "true")))
    public boolean delete(@PathParam("id") String id) {
        return nodes.delete(id);
    }

    @POST
    @Path("{id}/enable")
    @Operation(summary = "Enable a node", description = "Persisted (upstream forgets it on restart).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AdminMessage.class),
            examples = @ExampleObject(name = "enabled", value = "{\"message\": \"node enabled successfully\", \"node_id\": \"node1\"}")))
    @APIResponse(responseCode = "404", content = @Content(examples = @ExampleObject(name = "unknown",
            value = "{\"error\": \"node not found: node9\"}")))
    public AdminMessage enable(@PathParam("id") String id) {
        return setEnabled(id, true);
    }

    @POST
    @Path("{id}/disable")
    @Operation(summary = "Disable a node", description = "Takes effect at once: api-node stops routing inference to it, the node "
            + "manager sends it no command (a PoC generation still running is stopped once the generation phase is over) and "
            + "it takes no part in PoC until enabled again. Persisted. (Upstream keeps a disabled node serving until the next "
            + "PoC starts, and forgets the setting on restart.)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AdminMessage.class),
            examples = @ExampleObject(name = "disabled", value = "{\"message\": \"node disabled successfully\", \"node_id\": \"node1\"}")))
    @APIResponse(responseCode = "404", content = @Content(examples = @ExampleObject(name = "unknown",
            value = "{\"error\": \"node not found: node9\"}")))
    public AdminMessage disable(@PathParam("id") String id) {
        return setEnabled(id, false);
    }

    private AdminMessage setEnabled(String id, boolean enabled) {
        nodes.setEnabled(id, enabled).orElseThrow(() -> notFound(id));
        return new AdminMessage("node " + (enabled ? "enabled" : "disabled") + " successfully", id);
    }

    private static NodeSpec read(String contentType, byte[] body) {
        NodeSpecReader.Result r = NodeSpecReader.read(JsonBodies.read(contentType, body));
        if (!r.ok()) {
            throw ApiException.badRequest("invalid request body: " + String.join("; ", r.problems()));
        }
        return r.spec();
    }

    private Node save(NodeSpec spec) {
        try {
            return nodes.upsert(spec).node();
        } catch (NodeRejected e) {
            throw ApiException.badRequest(e.describe());
        }
    }

    @POST
    @Path("{id}/test")
    @Operation(summary = "Test an ML node before a PoC round (not in upstream)", description = "On that node only and without "
            + "touching the chain: reachable, serving its model (brought up if not), a short PoC generation whose artifacts go "
            + "to a one-off collector endpoint, a validation of part of them by the node, one chat completion. Answers the "
            + "report so far (202, status running), or with {\"wait\": true} the finished one (200). A node serving inference "
            + "is tested only with {\"force\": true} (routing skips it meanwhile); never during a PoC round.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "force", value = "{\"force\": true, \"wait\": true}")))
    @APIResponse(responseCode = "202", description = "Started: the first report (GET this route for the rest)")
    @APIResponse(responseCode = "200", description = "With wait: the finished report")
    @APIResponse(responseCode = "404", description = "Unknown id")
    @APIResponse(responseCode = "409", description = "A PoC round is in progress, the node serves inference (send force), or a test of it runs")
    public Response test(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType, byte[] body) {
        boolean force = false;
        boolean wait = false;
        if (body != null && body.length > 0) {
            JsonNode options = JsonBodies.read(contentType, body);
            if (!options.isObject()) {
                throw ApiException.badRequest("invalid request body: send a JSON object such as {\"force\": true}");
            }
            force = flag(options, "force");
            wait = flag(options, "wait");
            options.fieldNames().forEachRemaining(f -> {
                if (!f.equals("force") && !f.equals("wait")) {
                    throw ApiException.badRequest("unknown field '" + f + "': the options are force and wait");
                }
            });
        }
        JsonNode report = selfTests.start(id, force);
        if (!wait) {
            return Response.accepted(report).build();
        }
        return Response.ok(selfTests.await(id)).build();
    }

    @GET
    @Path("tests")
    @Operation(summary = "Every node's last self-test in brief (not in upstream; the literal path is not taken for a node id)")
    @APIResponse(responseCode = "200", description = "[{\"node_id\", \"status\", \"started_at\", \"finished_at\", \"failed_step\"}]")
    public List<com.fasterxml.jackson.databind.node.ObjectNode> tests() {
        return selfTests.summaries();
    }

    @GET
    @Path("{id}/test")
    @Operation(summary = "The node's last self-test report (the running one while a test runs; not in upstream)")
    @APIResponse(responseCode = "200", description = "The report: status running, passed or failed, and every step with its reason")
    @APIResponse(responseCode = "404", description = "Unknown id, or never tested")
    public JsonNode lastTest(@PathParam("id") String id) {
        if (nodes.find(id).isEmpty()) {
            throw notFound(id);
        }
        return selfTests.last(id).orElseThrow(() -> ApiException.notFound("node " + id + " has not been tested yet: POST /admin/v1/nodes/"
                + id + "/test"));
    }

    private static boolean flag(JsonNode options, String name) {
        JsonNode v = options.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest(name + " must be true or false");
        }
        return v.booleanValue();
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("node not found: " + id);
    }
}
