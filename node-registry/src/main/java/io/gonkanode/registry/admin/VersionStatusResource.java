package io.gonkanode.registry.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.common.rest.ApiException;
import io.gonkanode.registry.dashboard.CollectorEpochsApi;
import io.gonkanode.registry.mlnode.MlNodeCallFailed;
import io.gonkanode.registry.mlnode.MlNodeClient;
import io.gonkanode.registry.mlnode.MlNodeEndpoints;
import io.gonkanode.registry.node.Node;
import io.gonkanode.registry.node.NodeService;
import io.gonkanode.registry.web.JsonBodies;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Upstream's check of an ML node API version on every node (v0.2.14 {@code upgrade_handlers.go}): each node's
 * {@code GET /api/v1/state} at that version's path prefix. {@code upgrade-status} checks the version of the upgrade the
 * chain has scheduled (poc-collector reads it from {@code PartialUpgradeAll}); {@code version-status} any version.
 * Literal paths: {@code GET /admin/v1/nodes/upgrade-status} is not taken for a node id.
 */
@Path("/admin/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Nodes")
public class VersionStatusResource {

    /** One node's answer at a version: {@code error} only when it did not answer. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Report(@com.fasterxml.jackson.annotation.JsonProperty("is_alive") boolean isAlive, String error) {
    }

    private final NodeService nodes;
    private final MlNodeClient client;
    private final CollectorEpochsApi collector;

    public VersionStatusResource(NodeService nodes, MlNodeClient client, @RestClient CollectorEpochsApi collector) {
        this.nodes = nodes;
        this.client = client;
        this.collector = collector;
    }

    @GET
    @Path("upgrade-status")
    @Operation(summary = "Whether every node answers at the ML node version of the upgrade the chain has scheduled",
            description = "As upstream: {\"message\": \"No upgrade plan active\"} without one, else {\"<node id>\": {\"is_alive\", "
                    + "\"error\"}}. The plan comes from the chain through poc-collector (503 while it cannot say).")
    @APIResponse(responseCode = "200", content = @Content(examples = {
            @ExampleObject(name = "no plan", value = "{\"message\": \"No upgrade plan active\"}"),
            @ExampleObject(name = "plan", value = "{\"node1\": {\"is_alive\": true}, \"node2\": {\"is_alive\": false, "
                    + "\"error\": \"http://10.0.0.2:8080/v3.0.9/api/v1/state: answered 404\"}}")}))
    public Object upgradeStatus() {
        String version = plannedVersion();
        if (version == null) {
            return Map.of("message", "No upgrade plan active");
        }
        return check(version);
    }

    @POST
    @Path("version-status")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Whether every node answers at this ML node version", description = "Body {\"version\": \"v3.0.9\"}, as upstream.")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "reports",
            value = "{\"node1\": {\"is_alive\": true}}")))
    @APIResponse(responseCode = "400", content = @Content(examples = {
            @ExampleObject(name = "no version", value = "{\"error\": \"Version field is required\"}"),
            @ExampleObject(name = "not JSON", value = "{\"error\": \"Invalid request body\"}")}))
    public Map<String, Report> versionStatus(@HeaderParam("Content-Type") String contentType, byte[] body) {
        JsonNode request;
        try {
            request = JsonBodies.read(contentType, body);
        } catch (ApiException e) {
            // upstream's words for a body that does not bind; a wrong Content-Type (415) or size (413) keeps its own
            throw e.status() == 400 ? ApiException.badRequest("Invalid request body") : e;
        }
        // JsonBodies.read answers a document or throws; upstream's binder refuses anything but an object with a string version
        JsonNode version = request.get("version");
        if (!request.isObject() || version != null && !version.isNull() && !version.isTextual()) {
            throw ApiException.badRequest("Invalid request body");
        }
        if (version == null || version.asText("").isEmpty()) {
            throw ApiException.badRequest("Version field is required");
        }
        if (version.asText().length() > 64 || !version.asText().matches("[A-Za-z0-9._+-]+")) {
            throw ApiException.badRequest("version: 1 to 64 characters of A-Z a-z 0-9 . _ + -");
        }
        return check(version.asText());
    }

    private String plannedVersion() {
        try (Response r = collector.upgradePlan()) {
            if (r.getStatus() != 200) {
                throw ApiException.unavailable("poc-collector cannot read the chain's upgrade plan now (it answered " + r.getStatus() + ")");
            }
            JsonNode plan = r.readEntity(JsonNode.class).path("plan");
            String version = plan.path("node_version").asText("");
            return version.isEmpty() ? null : version;
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ApiException.unavailable("poc-collector did not answer: the chain's upgrade plan is unknown");
        }
    }

    private Map<String, Report> check(String version) {
        List<Node> all = nodes.list();
        Map<String, CompletableFuture<Report>> pending = new TreeMap<>();
        for (Node n : all) {
            MlNodeEndpoints at = MlNodeEndpoints.of(n.host, n.pocPort, n.pocSegment, n.inferencePort, n.inferenceSegment, version);
            pending.put(n.id, client.state(at).handle((state, error) -> error == null ? new Report(true, null)
                    : new Report(false, reason(error))));
        }
        Map<String, Report> out = new TreeMap<>();
        pending.forEach((id, f) -> out.put(id, f.join()));
        return out;
    }

    private static String reason(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof MlNodeCallFailed ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
