package io.gonkanode.sim.api;

import io.gonkanode.sim.inference.InferenceServer;
import io.gonkanode.sim.node.SimNodes;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /v1/*} on the management port reaches the inference side, as the real node's ProxyMiddleware
 * does; with no backend up it answers 503 "No vLLM backend available" in plain text like the real one.
 */
@ApplicationScoped
public class V1Proxy {

    void mount(@Observes Router router, SimNodes nodes) {
        router.route("/v1/*").order(-100).handler(ctx -> {
            if (nodes.at(ctx.request()).ml().inferenceRunning()) {
                ctx.next();
            } else {
                ctx.response().setStatusCode(503).putHeader("content-type", "text/plain; charset=utf-8")
                        .end("No vLLM backend available");
            }
        });
        InferenceServer.mountV1(router, ctx -> nodes.at(ctx.request()).ml().inferenceServer());
    }

}
