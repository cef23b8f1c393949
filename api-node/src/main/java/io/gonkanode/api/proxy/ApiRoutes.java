package io.gonkanode.api.proxy;

import io.gonkanode.api.config.ApiConfig;
import io.gonkanode.common.RequestIds;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The public routes of api-node on the Vert.x router: request ids on every answer, the optional API key,
 * a bounded body, then the completion proxy.
 */
@ApplicationScoped
public class ApiRoutes {

    public static final String REQUEST_ID = "requestId";

    void mount(@Observes Router router, CompletionProxy proxy, ApiConfig config) {
        router.route().order(-1000).handler(ApiRoutes::requestId);
        // what the router itself refuses (a malformed query string, an undeclared method) in OpenAI's shape too
        router.errorHandler(400, ctx -> OpenAiErrors.send(ctx.response(), 400, "invalid_request_error", null, null,
                "Malformed request: check the URL's percent-escapes and the query string."));
        router.errorHandler(404, ctx -> OpenAiErrors.send(ctx.response(), 404, "invalid_request_error", "not_found", null,
                "No such route: " + ctx.request().method() + " " + ApiRoutes.safePath(ctx) + "."));
        router.errorHandler(405, ctx -> OpenAiErrors.send(ctx.response(), 405, "invalid_request_error", "method_not_allowed", null,
                "Method " + ctx.request().method() + " is not allowed here."));
        router.errorHandler(413, ctx -> OpenAiErrors.send(ctx.response(), 413, "invalid_request_error", "request_too_large", null,
                "The request body is too large."));
        List<byte[]> keys = config.apiKeys().orElse(List.of()).stream().filter(k -> !k.isBlank())
                .map(k -> k.trim().getBytes(StandardCharsets.UTF_8)).toList();
        for (String path : new String[] {"/v1/chat/completions", "/v1/completions"}) {
            router.post(path)
                    .handler(BodyHandler.create(false).setBodyLimit(config.routing().maxBodyBytes()))
                    .handler(ctx -> authorize(ctx, keys))
                    .handler(ctx -> proxy.handle(ctx, ctx.get(REQUEST_ID)))
                    .failureHandler(ApiRoutes::failure);
            router.route(path).handler(ctx -> OpenAiErrors.send(ctx.response(), 405, "invalid_request_error", "method_not_allowed",
                    null, "Use POST for " + path + "."));
        }
    }

    static String safePath(RoutingContext ctx) {
        String p = ctx.request().path();
        p = p == null ? "" : p.replaceAll("\\p{Cntrl}", "?");
        return p.length() > 100 ? p.substring(0, 100) + "..." : p;
    }

    static void requestId(RoutingContext ctx) {
        String id = RequestIds.accept(ctx.request().getHeader(RequestIds.HEADER));
        ctx.put(REQUEST_ID, id);
        ctx.response().putHeader(RequestIds.HEADER, id);
        ctx.next();
    }

    static void authorize(RoutingContext ctx, List<byte[]> keys) {
        if (keys.isEmpty()) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            for (byte[] key : keys) {
                if (MessageDigest.isEqual(given, key)) {
                    ctx.next();
                    return;
                }
            }
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        OpenAiErrors.send(ctx.response(), 401, "invalid_request_error", "invalid_api_key", null,
                header == null ? "You didn't provide an API key: send Authorization: Bearer <key>." : "Incorrect API key provided.");
    }

    static void failure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status == 413) {
            OpenAiErrors.send(ctx.response(), 413, "invalid_request_error", "request_too_large", null,
                    "The request body is too large.");
        } else if (status < 500) {
            OpenAiErrors.send(ctx.response(), status, "invalid_request_error", null, null, "The request was rejected.");
        } else {
            io.quarkus.logging.Log.errorf(ctx.failure(), "[%s] request failed", (Object) ctx.get(REQUEST_ID));
            OpenAiErrors.send(ctx.response(), 500, "server_error", null, null,
                    "Internal error (request id " + ctx.get(REQUEST_ID) + ").");
        }
    }
}
