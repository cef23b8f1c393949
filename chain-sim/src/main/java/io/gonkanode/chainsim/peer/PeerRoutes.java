package io.gonkanode.chainsim.peer;

import io.gonkanode.protocol.proofs.ProofService;
import io.gonkanode.protocol.proofs.RateLimiter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.function.Function;

/**
 * A peer's public port: the proofs API of writes spec §5 (per-IP rate limit on the two proof routes, a 10 MiB body
 * limit, {@code {"error": ...}} bodies). Proofs are built on worker threads, never on the event loop.
 */
final class PeerRoutes {

    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private PeerRoutes() {
    }

    static Router router(Vertx vertx, ProofService service, RateLimiter limiter) {
        Router router = Router.router(vertx);
        router.post("/v1/poc/proofs*").handler(ctx -> {
            String ip = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().host();
            if (!limiter.allow(ip, System.nanoTime())) {
                send(ctx, ProofService.Answer.error(429, "rate limit exceeded"));
                return;
            }
            ctx.next();
        });
        router.post("/v1/poc/proofs*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.post("/v1/poc/proofs").blockingHandler(ctx -> answer(ctx, service::proofs), false);
        router.post("/v1/poc/proofs/by-nonce").blockingHandler(ctx -> answer(ctx, service::proofsByNonce), false);
        router.get("/v1/poc/artifacts/state").blockingHandler(ctx -> send(ctx, service.state(ctx.request().getParam("height"),
                ctx.request().getParam("model_id"))), false);
        router.route().failureHandler(ctx -> send(ctx, ctx.statusCode() == 413
                ? ProofService.Answer.error(413, "request body too large")
                : ProofService.Answer.error(500, "internal error")));
        router.route().last().handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                .end("{\"message\":\"Not Found\"}"));
        return router;
    }

    private static void answer(RoutingContext ctx, Function<byte[], ProofService.Answer> handler) {
        Buffer body = ctx.body().buffer();
        send(ctx, handler.apply(body == null ? new byte[0] : body.getBytes()));
    }

    private static void send(RoutingContext ctx, ProofService.Answer answer) {
        ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json").end(Buffer.buffer(answer.json()));
    }
}
