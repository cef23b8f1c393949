package io.gonkanode.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.common.rest.ApiException;
import io.gonkanode.registry.web.JsonBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** api-node's report of the requests in flight per node, which the Admin API shows as {@code lock_count}. */
@Path("/internal/v1/load")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal", description = "For the other services of this network node")
public class InternalLoadResource {

    static final int MAX_NODES = 100_000;

    private final LoadBoard board;

    public InternalLoadResource(LoadBoard board) {
        this.board = board;
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "The requests one api-node instance has in flight per node",
            description = "Body {\"instance\": \"<id>\", \"in_flight\": {\"<node id>\": n}}; replaces that instance's last report.")
    @APIResponse(responseCode = "204", description = "Taken")
    public Response report(@HeaderParam("Content-Type") String contentType, byte[] body) {
        JsonNode report = JsonBodies.read(contentType, body);
        JsonNode instance = report.path("instance");
        if (!instance.isTextual() || instance.asText().isBlank() || instance.asText().length() > 128) {
            throw ApiException.badRequest("instance: a string of 1 to 128 characters is required");
        }
        JsonNode inFlight = report.path("in_flight");
        if (!inFlight.isObject()) {
            throw ApiException.badRequest("in_flight: an object {\"<node id>\": <requests in flight>} is required");
        }
        if (inFlight.size() > MAX_NODES) {
            throw ApiException.badRequest("in_flight: at most " + MAX_NODES + " nodes");
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = inFlight.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = e.getValue();
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
                throw ApiException.badRequest("in_flight." + e.getKey() + ": a whole number of requests, 0 or more");
            }
            counts.put(e.getKey(), n.asInt());
        }
        board.report(instance.asText(), counts);
        return Response.noContent().build();
    }
}
