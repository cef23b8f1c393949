package io.gonkanode.sim.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.sim.config.SimConfig;
import io.gonkanode.sim.fault.Faults;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The OpenAI-compatible inference port (the real node's 5000): it listens only while a model is up, like
 * the ML node's compatibility server, so a node whose inference is down refuses connections.
 */
public final class InferenceServer {

    private final Vertx vertx;
    private final ObjectMapper json;
    private final Completions completions;
    private final Supplier<String> loadedModel;
    private final BooleanSupplier healthy;
    private final java.util.List<String> apiVersions;
    private HttpServer server;
    private int port;

    public InferenceServer(Vertx vertx, ObjectMapper json, SimConfig config, Faults faults, InferenceStats stats, int port,
                           Supplier<String> loadedModel, BooleanSupplier healthy, Supplier<Boolean> pocBlocksInference) {
        this.vertx = vertx;
        this.json = json;
        this.loadedModel = loadedModel;
        this.healthy = healthy;
        this.port = port;
        this.apiVersions = config.apiVersions();
        this.completions = new Completions(vertx, json, config, faults, stats, loadedModel, pocBlocksInference);
    }

    /**
     * Adds the OpenAI routes to {@code router}, each answered by the server {@code of} the request picks: this one on
     * its own port; on the management port (/v1/*), the one of the node the request is for.
     */
    public static void mountV1(Router router, Function<RoutingContext, InferenceServer> of) {
        router.get("/v1/models").handler(ctx -> of.apply(ctx).models(ctx));
        router.post("/v1/chat/completions").handler(BodyHandler.create(false).setBodyLimit(32L << 20))
                .handler(ctx -> of.apply(ctx).completions.chat(ctx));
        router.post("/v1/completions").handler(BodyHandler.create(false).setBodyLimit(32L << 20))
                .handler(ctx -> of.apply(ctx).completions.completion(ctx));
    }

    /** Starts listening (on the same port every time, so a registered node stays reachable). */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Router router = Router.router(vertx);
        io.gonkanode.sim.web.VersionPrefix.mount(router, apiVersions);
        router.get("/health").handler(ctx -> ctx.response().setStatusCode(healthy.getAsBoolean() ? 200 : 503).end());
        mountV1(router, ctx -> this);
        router.route().handler(ctx -> ctx.response().setStatusCode(404).putHeader("content-type", "application/json")
                .end("{\"detail\":\"Not Found\"}"));
        HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost("0.0.0.0").setIdleTimeout(0));
        try {
            s.requestHandler(router).listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("inference server cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        server = s;
        port = s.actualPort();
        Log.infof("inference server listening on %d", port);
    }

    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.warn("inference server did not close cleanly", e);
        }
        server = null;
        Log.info("inference server stopped");
    }

    public synchronized boolean listening() {
        return server != null;
    }

    /** The port it listens on (or will, once up). */
    public synchronized int port() {
        return port;
    }

    private void models(RoutingContext ctx) {
        ObjectNode body = json.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        String model = loadedModel.get();
        if (model != null) {
            ObjectNode m = data.addObject();
            m.put("id", model);
            m.put("object", "model");
            m.put("created", System.currentTimeMillis() / 1000);
            m.put("owned_by", "vllm");
            m.put("root", model);
            m.putNull("parent");
            m.put("max_model_len", 32768);
        }
        try {
            ctx.response().putHeader("content-type", "application/json").end(Buffer.buffer(json.writeValueAsBytes(body)));
        } catch (Exception e) {
            ctx.fail(e);
        }
    }
}
