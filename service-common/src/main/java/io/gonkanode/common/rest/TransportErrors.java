package io.gonkanode.common.rest;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What the HTTP layer refuses before any resource runs (a malformed query string, a body over the
 * transport limit, a route nobody serves) gets the same {"error": "..."} body as everything else.
 */
@ApplicationScoped
public class TransportErrors {

    void install(@Observes Router router) {
        router.errorHandler(400, ctx -> send(ctx, 400, "malformed request: check the URL's percent-escapes and the query string"));
        router.errorHandler(404, ctx -> send(ctx, 404, "no such route"));
        router.errorHandler(405, ctx -> send(ctx, 405, "method not allowed"));
        router.errorHandler(413, ctx -> send(ctx, 413, "request body too large"));
        router.errorHandler(415, ctx -> send(ctx, 415, "unsupported content type"));
    }

    static void send(RoutingContext ctx, int status, String error) {
        if (ctx.response().ended() || ctx.response().closed() || ctx.response().headWritten()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end("{\"error\":\"" + error.replace("\"", "'") + "\"}");
    }
}
