package io.gonkanode.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.registry.callback.CallbackToken;
import io.gonkanode.registry.node.NodeService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The node view for api-node and poc-collector. Its ETag is a hash of the content, so it is the same on
 * every registry replica and a poller that sends {@code If-None-Match} gets a body-less 304 until
 * something it would see changes.
 */
@Path("/internal/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal", description = "For the other services of this network node")
public class InternalNodeResource {

    private final NodeService nodes;
    private final InternalViews views;
    private final ObjectMapper json;
    private final CallbackToken callbackToken;
    /** The view last written, so an unchanged one is neither written nor hashed again (1,000 nodes: 640 kB). */
    private volatile Rendered last;

    private record Rendered(List<InternalNodeView> list, String tokenSha256, String version, byte[] body) {
    }

    public InternalNodeResource(NodeService nodes, InternalViews views, ObjectMapper json, CallbackToken callbackToken) {
        this.nodes = nodes;
        this.callbackToken = callbackToken;
        this.views = views;
        this.json = json;
    }

    @GET
    @Operation(summary = "Every node with config, admin state, observed state and node_num, and the callback token's SHA-256",
            description = "Send If-None-Match with the last ETag to get 304 when nothing changed.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = InternalNodeView.Nodes.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
    public Response nodes(@HeaderParam("If-None-Match") String ifNoneMatch) throws JsonProcessingException {
        List<InternalNodeView> list = views.of(nodes.view());
        String tokenSha256 = callbackToken.sha256Hex().orElse(null);
        Rendered r = last;
        if (r == null || !r.list().equals(list) || !java.util.Objects.equals(r.tokenSha256(), tokenSha256)) {
            byte[] content = json.writeValueAsBytes(new InternalNodeView.Nodes(null, list, tokenSha256));
            String version = hash(content);
            r = new Rendered(list, tokenSha256, version,
                    json.writeValueAsBytes(new InternalNodeView.Nodes(version, list, tokenSha256)));
            last = r;
        }
        EntityTag tag = new EntityTag(r.version());
        if (ifNoneMatch != null && matches(ifNoneMatch, r.version())) {
            return Response.notModified(tag).build();
        }
        return Response.ok(r.body(), MediaType.APPLICATION_JSON_TYPE).tag(tag).build();
    }

    private static boolean matches(String header, String version) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("\"" + version + "\"") || c.equals("*")) {
                return true;
            }
        }
        return false;
    }

    private static String hash(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
