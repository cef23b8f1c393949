package io.gonkanode.registry.mlnode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.registry.config.ManagerConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The ML node management and inference APIs the node manager uses (mlnode 3.0.14). Every call is
 * asynchronous, so thousands of nodes can be polled and driven without a thread each; polls get short
 * timeouts, inference/up a long one. The polls (GETs, thousands a minute on a large host) go through Vert.x's HTTP
 * client on the event loop; the JDK's client, which spent about half a millisecond of CPU per request (issue 18's large
 * host bench), is kept for the commands, whose futures can be cancelled mid-exchange.
 */
@ApplicationScoped
public class MlNodeClient {

    static {
        // the JDK keeps idle connections 20 minutes by default; an nginx in front of an ML node closes them
        // after 75 s, and a POST on such a stale connection fails. Stay well below.
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "20");
        }
    }

    private final HttpClient http;
    private final io.vertx.core.http.HttpClient polls;
    private final Context pollContext;
    private final ManagerConfig config;
    private final ObjectMapper json = new ObjectMapper();
    private final String userAgent;

    public MlNodeClient(ManagerConfig config, Vertx vertx) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.pollTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        // idle connections kept 20 s like the JDK client's above; never a redirect, like it
        this.polls = vertx.createHttpClient(new HttpClientOptions().setKeepAliveTimeout(20).setMaxPoolSize(4)
                .setConnectTimeout((int) config.pollTimeout().toMillis()));
        // every poll is started on this event loop: then each step of the exchange runs on it as the answer arrives,
        // so the body is read before it passes by (started from the manager's thread, the steps ran later and a
        // 180-byte answer could come back empty)
        this.pollContext = vertx.getOrCreateContext();
        this.userAgent = "gonka-node-registry/" + instanceId(config);
    }

    public static String instanceId(ManagerConfig config) {
        return config.instanceId().filter(s -> !s.isBlank()).orElseGet(() -> {
            String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
            return host + "-" + ProcessHandle.current().pid();
        });
    }

    /** GET /api/v1/state. */
    public CompletableFuture<JsonNode> state(MlNodeEndpoints node) {
        return getJson(node.management() + "/api/v1/state", config.pollTimeout());
    }

    /** GET /api/v1/inference/pow/status. */
    public CompletableFuture<JsonNode> powStatus(MlNodeEndpoints node) {
        return getJson(node.management() + "/api/v1/inference/pow/status", config.pollTimeout());
    }

    /** GET {inference}/health: the status code (0 when there was no answer). */
    public CompletableFuture<Integer> inferenceHealth(MlNodeEndpoints node) {
        return fetch(node.inference() + "/health", config.pollTimeout(), false).thenApply(Reply::status).exceptionally(e -> 0);
    }

    /** GET {inference}/v1/models: the first model id, or null. */
    public CompletableFuture<String> servedModel(MlNodeEndpoints node) {
        return getJson(node.inference() + "/v1/models", config.pollTimeout())
                .thenApply(body -> {
                    JsonNode first = body.path("data").path(0).path("id");
                    return first.isTextual() ? first.textValue() : null;
                });
    }

    /** POST /api/v1/stop (empty body, as upstream). */
    public CompletableFuture<JsonNode> stop(MlNodeEndpoints node) {
        return post(node.management() + "/api/v1/stop", null, config.commandTimeout());
    }

    /** POST /api/v1/inference/up; answers 200 even when vLLM fails, so the body's status is what counts. */
    public CompletableFuture<JsonNode> inferenceUp(MlNodeEndpoints node, JsonNode body) {
        return post(node.management() + "/api/v1/inference/up", body, config.inferenceUpTimeout());
    }

    /** POST /api/v1/inference/pow/init/generate. */
    public CompletableFuture<JsonNode> initGenerate(MlNodeEndpoints node, JsonNode body) {
        return post(node.management() + "/api/v1/inference/pow/init/generate", body, config.commandTimeout());
    }

    /** POST /api/v1/inference/pow/stop with {}. */
    public CompletableFuture<JsonNode> powStop(MlNodeEndpoints node) {
        return post(node.management() + "/api/v1/inference/pow/stop", json.createObjectNode(), config.commandTimeout());
    }

    /** POST /api/v1/inference/pow/generate: specific nonces, with {@code "wait": true} answered when computed. */
    public CompletableFuture<JsonNode> powGenerate(MlNodeEndpoints node, JsonNode body, Duration timeout) {
        return post(node.management() + "/api/v1/inference/pow/generate", body, timeout);
    }

    /** POST {inference}/v1/chat/completions. */
    public CompletableFuture<JsonNode> chatCompletion(MlNodeEndpoints node, JsonNode body, Duration timeout) {
        return post(node.inference() + "/v1/chat/completions", body, timeout);
    }

    private CompletableFuture<JsonNode> getJson(String url, Duration timeout) {
        return checked("GET", url, fetch(url, timeout, true));
    }

    /** What an ML node answered: the status and the whole body. */
    private record Reply(int status, byte[] body) {
    }

    /** A GET through the poll client; fails on no answer (see {@link #describe}). */
    private CompletableFuture<Reply> fetch(String url, Duration timeout, boolean json) {
        CompletableFuture<Reply> out = new CompletableFuture<>();
        pollContext.runOnContext(v -> get(url, timeout, json, out));
        return out;
    }

    private void get(String url, Duration timeout, boolean json, CompletableFuture<Reply> out) {
        try {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                    .setIdleTimeout(timeout.toMillis()).putHeader("User-Agent", userAgent);
            if (json) {
                options.putHeader("Accept", "application/json");
            }
            // the idle timeout ends a silent exchange; this deadline one that trickles bytes, so a node cannot hold a poll
            // (and a place in the request limiter) open for ever
            long deadline = 2 * timeout.toMillis();
            boolean[] late = new boolean[1]; // only ever touched on the poll event loop
            polls.request(options).compose(request -> {
                Vertx vertx = pollContext.owner();
                long timer = vertx.setTimer(deadline, id -> {
                    late[0] = true;
                    request.reset();
                });
                return request.send()
                        .compose(response -> response.body().map(body -> new Reply(response.statusCode(), body.getBytes())))
                        .onComplete(done -> vertx.cancelTimer(timer));
            }).onComplete(answer -> {
                if (answer.succeeded()) {
                    out.complete(answer.result());
                } else {
                    out.completeExceptionally(late[0] ? new TimeoutException("no whole answer within " + deadline + " ms")
                            : answer.cause());
                }
            });
        } catch (RuntimeException e) {
            out.completeExceptionally(e);
        }
    }

    private CompletableFuture<JsonNode> post(String url, JsonNode body, Duration timeout) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : json.writeValueAsBytes(body);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("User-Agent", userAgent)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return send(request, url);
    }

    /** Cancelling the returned future aborts the HTTP exchange itself. */
    private CompletableFuture<JsonNode> send(HttpRequest request, String url) {
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        CompletableFuture<JsonNode> result = checked(request.method(), url,
                exchange.thenApply(response -> new Reply(response.statusCode(), response.body())));
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return result;
    }

    /** The answer's JSON, or a {@link MlNodeCallFailed} naming what went wrong: no answer, a redirect, not JSON, 4xx/5xx. */
    private CompletableFuture<JsonNode> checked(String method, String url, CompletableFuture<Reply> exchange) {
        return exchange.handle((response, error) -> {
            if (error != null) {
                throw new CompletionException(new MlNodeCallFailed(describe(url, error), 0));
            }
            JsonNode parsed = parse(response.body());
            int status = response.status();
            if (status >= 300 && status < 400) {
                throw new CompletionException(new MlNodeCallFailed(url + ": answered " + status
                        + ", a redirect (never followed: the node's host and ports must reach the ML node itself)", status));
            }
            if (status < 300 && parsed == null && response.body() != null && response.body().length > 0) {
                throw new CompletionException(new MlNodeCallFailed(url + ": answered " + status + " with a body that is not JSON: "
                        + shorten(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)), status));
            }
            if (status >= 400) {
                String detail = parsed != null && parsed.has("detail") ? parsed.get("detail").toString()
                        : new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
                throw new CompletionException(new MlNodeCallFailed(method + " " + url + " answered " + status + ": " + shorten(detail),
                        status));
            }
            return parsed == null ? json.nullNode() : parsed;
        });
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    static String describe(String url, Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String what;
        if (e instanceof HttpConnectTimeoutException || e instanceof io.netty.channel.ConnectTimeoutException) {
            what = "connect timed out";
        } else if (e instanceof HttpTimeoutException || e instanceof TimeoutException) {
            what = "no answer in time";
        } else if (e instanceof ConnectException) {
            what = "connection refused";
        } else if (e instanceof io.netty.handler.codec.DecoderException
                || e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).startsWith("invalid version format")) {
            what = "not an HTTP answer (" + e.getMessage() + ")"; // Netty's words for bytes that are no HTTP status line
        } else {
            what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return url + ": " + what;
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
