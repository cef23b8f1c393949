package io.gonkanode.chainsim.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CometBFT's HTTP surface on one port: JSON-RPC 2.0 POSTed to {@code /} (single or batch) and the URI form
 * {@code GET /<method>?...}. As CometBFT: an unreadable body or a failed URI call is an HTTP 500 with a JSON-RPC
 * error; a call that fails inside a readable JSON-RPC request is a 200 carrying the error.
 */
@ApplicationScoped
public class RpcRoutes {

    /** CometBFT's default max_body_bytes. */
    static final int MAX_BODY_BYTES = 1_000_000;
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final RpcMethods methods;
    private final ObjectMapper json = new ObjectMapper();

    public RpcRoutes(RpcMethods methods) {
        this.methods = methods;
    }

    void mount(@Observes Router router) {
        router.post("/").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::post)
                .failureHandler(ctx -> send(ctx, 500, error(F.numberNode(-1), RpcError.parse("error reading request body: "
                        + (ctx.statusCode() == 413 ? "http: request body too large" : String.valueOf(ctx.failure()))))));
        for (String method : RpcMethods.PARAMS.keySet()) {
            router.get("/" + method).handler(ctx -> get(ctx, method));
        }
    }

    private void post(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        JsonNode request;
        try {
            request = body == null || body.length() == 0 ? null : json.readTree(body.getBytes());
        } catch (Exception e) {
            request = null;
        }
        if (request == null || !(request.isObject() || request.isArray())) {
            send(ctx, 500, error(F.numberNode(-1), RpcError.parse("error unmarshaling request")));
            return;
        }
        if (request.isArray()) {
            ArrayNode out = F.arrayNode();
            request.forEach(r -> out.add(handle(r)));
            send(ctx, 200, out);
            return;
        }
        send(ctx, 200, handle(request));
    }

    /** One JSON-RPC request → its response object. */
    ObjectNode handle(JsonNode r) {
        JsonNode id = r.has("id") && !r.get("id").isNull() ? r.get("id") : F.numberNode(-1);
        if (!r.isObject() || !"2.0".equals(r.path("jsonrpc").asText()) || !r.path("method").isTextual()) {
            return error(id, RpcError.invalidRequest("jsonrpc must be \"2.0\" and method a string"));
        }
        String method = r.get("method").asText();
        List<String> names = RpcMethods.PARAMS.get(method);
        if (names == null) {
            return error(id, RpcError.methodNotFound(method));
        }
        try {
            return result(id, methods.call(method, Params.json(r.get("params"), names)));
        } catch (RpcError e) {
            return error(id, e);
        } catch (RuntimeException e) {
            Log.warnf(e, "%s failed", method);
            return error(id, RpcError.internal(e.toString()));
        }
    }

    private void get(RoutingContext ctx, String method) {
        Map<String, String> query = new HashMap<>();
        ctx.queryParams().forEach(e -> query.put(e.getKey(), e.getValue()));
        try {
            send(ctx, 200, result(F.numberNode(-1), methods.call(method, Params.uri(query, RpcMethods.PARAMS.get(method)))));
        } catch (RpcError e) {
            send(ctx, 500, error(F.numberNode(-1), e));
        } catch (RuntimeException e) {
            Log.warnf(e, "%s failed", method);
            send(ctx, 500, error(F.numberNode(-1), RpcError.internal(e.toString())));
        }
    }

    static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode o = F.objectNode();
        o.put("jsonrpc", "2.0");
        o.set("id", id);
        o.set("result", result);
        return o;
    }

    static ObjectNode error(JsonNode id, RpcError e) {
        ObjectNode o = F.objectNode();
        o.put("jsonrpc", "2.0");
        o.set("id", id);
        ObjectNode err = o.putObject("error");
        err.put("code", e.code());
        err.put("message", e.getMessage());
        err.put("data", e.data());
        return o;
    }

    private void send(RoutingContext ctx, int status, JsonNode body) {
        if (ctx.response().ended()) {
            return;
        }
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json.writeValueAsString(body));
        } catch (Exception e) {
            ctx.response().setStatusCode(500).end();
        }
    }
}
