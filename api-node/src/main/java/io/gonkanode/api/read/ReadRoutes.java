package io.gonkanode.api.read;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.api.config.ApiConfig;
import io.gonkanode.api.proxy.OpenAiErrors;
import io.gonkanode.api.routing.Router;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.util.TreeSet;

/**
 * The read API: {@code /v1/models} (the chain's current epoch models as upstream lists them; while the collector cannot
 * answer, OpenAI's list of the models this host's ML nodes serve), {@code /v1/governance/models} and {@code /v1/epochs/...}
 * from poc-collector in upstream's shapes, {@code /v1/status} (with the chain's sync state) and {@code /health} for load
 * balancers.
 */
@ApplicationScoped
public class ReadRoutes {

    void mount(@Observes io.vertx.ext.web.Router web, Router router, ApiConfig config, Vertx vertx) {
        URI collector = URI.create(config.collector().url());
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(3000));
        web.get("/v1/models").handler(ctx -> forward(ctx, client, collector, () -> models(ctx, router)));
        web.get("/v1/governance/models").handler(ctx -> forward(ctx, client, collector, null));
        web.get("/v1/status").handler(ctx -> status(ctx, client, collector));
        web.get("/health").handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("healthy\n"));
        web.getWithRegex("/v1/epochs/[^/]+(/participants)?").handler(ctx -> forward(ctx, client, collector, null));
        // the proofs API other hosts validate this host through: upstream's 10 MiB body limit, the client's address passed on
        web.post("/v1/poc/proofs*").handler(BodyHandler.create(false).setBodyLimit(PROOFS_BODY_LIMIT)).failureHandler(ctx -> {
            if (ctx.statusCode() == 413) { // upstream's echo answers its body limit so; in the API's JSON error shape here
                ctx.response().setStatusCode(413).putHeader("content-type", "application/json").end("{\"error\":\"Request Entity Too Large\"}");
            } else {
                ctx.next();
            }
        });
        web.post("/v1/poc/proofs").handler(ctx -> forward(ctx, client, collector, null));
        web.post("/v1/poc/proofs/by-nonce").handler(ctx -> forward(ctx, client, collector, null));
        web.get("/v1/poc/artifacts/state").handler(ctx -> forward(ctx, client, collector, null));
        web.route("/v1/*").order(10_000).handler(ctx -> OpenAiErrors.send(ctx.response(), 404, "invalid_request_error",
                "unknown_url", null, "Unknown request URL: " + ctx.request().method() + " " + ctx.request().path()));
    }

    static final long PROOFS_BODY_LIMIT = 10L * 1024 * 1024;

    static void models(RoutingContext ctx, Router router) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String model : new TreeSet<>(router.servedModels())) {
            data.addObject().put("id", model).put("object", "model").put("created", 0).put("owned_by", "gonka");
        }
        ctx.response().putHeader("content-type", "application/json").end(body.toString());
    }

    /**
     * Upstream's {@code {"status":"ok"}} with, as {@code chain}, the chain node poc-collector follows and whether PoC work
     * pauses (and why); {@code {"sync":"UNKNOWN"}} when the collector does not answer.
     */
    static void status(RoutingContext ctx, HttpClient client, URI collector) {
        client.request(get(collector, "/v1/chain/status", 2_000))
                .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode() == 200 ? b.toString() : null)))
                .recover(e -> io.vertx.core.Future.succeededFuture(null))
                .onComplete(r -> {
                    String chain = r.result() != null ? r.result()
                            : "{\"sync\":\"UNKNOWN\",\"reason\":\"poc-collector unavailable\"}";
                    if (!ctx.response().ended()) {
                        ctx.response().putHeader("content-type", "application/json").end("{\"status\":\"ok\",\"chain\":" + chain + "}");
                    }
                });
    }

    /**
     * Passes the collector's answer (status and body) through unchanged; with a {@code fallback}, anything but a 200
     * (the chain node or the collector away) is answered by it instead.
     */
    static void forward(RoutingContext ctx, HttpClient client, URI collector, Runnable fallback) {
        RequestOptions options = get(collector, ctx.request().uri(), 30_000).setMethod(ctx.request().method())
                .putHeader("X-Forwarded-For", forwardedFor(ctx));
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        if (body != null) {
            options.putHeader("content-type", "application/json");
        }
        client.request(options)
                .compose(req -> (body == null ? req.send() : req.send(body)).compose(resp -> resp.body().map(b -> {
                    if (fallback != null && resp.statusCode() != 200) {
                        fallback.run();
                        return b;
                    }
                    ctx.response().setStatusCode(resp.statusCode())
                            .putHeader("content-type", resp.getHeader("content-type") == null ? "application/json" : resp.getHeader("content-type"))
                            .end(b);
                    return b;
                })))
                .onFailure(e -> {
                    if (fallback != null && !ctx.response().ended()) {
                        fallback.run();
                    } else if (!ctx.response().ended()) {
                        ctx.response().setStatusCode(503).putHeader("content-type", "application/json")
                                .end("{\"error\":\"poc-collector unavailable, try again shortly\"}");
                    }
                });
    }

    /** The client's address appended to what it forwarded (the collector rate-limits by the first entry, as echo's RealIP). */
    static String forwardedFor(RoutingContext ctx) {
        String peer = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
        String earlier = ctx.request().getHeader("X-Forwarded-For");
        return earlier == null || earlier.isBlank() ? peer : earlier + ", " + peer;
    }

    /** A GET of {@code uri} on poc-collector (under its base path). */
    static RequestOptions get(URI collector, String uri, long timeoutMillis) {
        return new RequestOptions().setMethod(HttpMethod.GET).setHost(collector.getHost())
                .setPort(collector.getPort() > 0 ? collector.getPort() : 80)
                .setURI(collector.getRawPath().replaceAll("/$", "") + uri).setTimeout(timeoutMillis);
    }
}
