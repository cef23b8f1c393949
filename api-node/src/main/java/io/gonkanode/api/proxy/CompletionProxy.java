package io.gonkanode.api.proxy;

import io.gonkanode.api.config.ApiConfig;
import io.gonkanode.api.routing.Backend;
import io.gonkanode.api.routing.Router;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /v1/chat/completions} and {@code /v1/completions} through to an ML node: the body goes out
 * unchanged, the response comes back byte for byte (JSON or SSE) as it arrives. A slot on the chosen node
 * is held from the pick until the response's last byte, a failure, or the client leaving; a connect
 * failure or a 5xx before any byte reached the client is retried on another node. Nothing here blocks.
 *
 * <p>Why one class of this size: it is the gateway's hot path, one request's life on one event loop
 * (pick, send, pipe, finish); splitting it would put hand-offs and allocations where the benchmarks
 * (docs/benchmarks.md) showed they cost throughput. Choosing the node is {@code routing}, not here.
 */
@ApplicationScoped
public class CompletionProxy {

    /** Hop-by-hop headers (RFC 7230 §6.1) and those the proxy sets itself, by length (no allocation per header). */
    private static final String[][] HOP_BY_LENGTH = new String[20][];

    static {
        Map<Integer, List<String>> byLength = new HashMap<>();
        for (String h : List.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
                "trailers", "transfer-encoding", "upgrade", "host", "content-length", "authorization")) {
            byLength.computeIfAbsent(h.length(), k -> new ArrayList<>()).add(h);
        }
        byLength.forEach((length, names) -> HOP_BY_LENGTH[length] = names.toArray(String[]::new));
    }

    /** Whether a header is hop-by-hop or the proxy's own (case-insensitive, as HTTP header names are). */
    static boolean hop(String name) {
        String[] candidates = name.length() < HOP_BY_LENGTH.length ? HOP_BY_LENGTH[name.length()] : null;
        if (candidates != null) {
            for (String c : candidates) {
                if (c.equalsIgnoreCase(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private final Router router;
    private final ApiConfig config;
    private final MeterRegistry metrics;
    private final Vertx vertx;
    private final HttpClientOptions clientOptions;
    private final PoolOptions poolOptions;
    /**
     * One client, and so one connection pool, per event loop: a request is written, and its answer read, on
     * the loop that took the client's request, never handed between threads.
     */
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
    private final Timer firstByte;
    private final Timer added;
    private final Counter retries;
    /** Counters looked up once per tag set, not built and registered per request. */
    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> suspensions = new ConcurrentHashMap<>();

    record RequestKey(String model, String node, String outcome) {
    }

    public CompletionProxy(Router router, ApiConfig config, MeterRegistry metrics, Vertx vertx) {
        this.router = router;
        this.config = config;
        this.metrics = metrics;
        ApiConfig.Routing r = config.routing();
        this.vertx = vertx;
        this.clientOptions = new HttpClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setConnectTimeout((int) r.connectTimeout().toMillis())
                        // a node silent this long (no headers, no bytes) fails the request on its connection; one
                        // timer per connection, not one per request
                        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, r.idleTimeout().toMillis()))
                        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        this.poolOptions = new PoolOptions().setHttp1MaxSize(r.poolSizePerNode());
        this.firstByte = Timer.builder("api.inference.first.byte").description("Request arrival to the first response byte")
                .publishPercentiles(0.5, 0.9, 0.99).register(metrics);
        this.added = Timer.builder("api.inference.added").description("Time added by the gateway (total minus time waiting on the ML node)")
                .publishPercentiles(0.5, 0.9, 0.99).register(metrics);
        this.retries = Counter.builder("api.inference.retries").description("Requests retried on another node").register(metrics);
    }

    /** Answers up to this size with a declared length are read whole before they are handed on. */
    static final long WHOLE_MAX_BYTES = 256 * 1024;

    static boolean small(String contentLength) {
        try {
            long n = Long.parseLong(contentLength.trim());
            return n >= 0 && n <= WHOLE_MAX_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private HttpClient client() {
        return clients.computeIfAbsent(Thread.currentThread(), t -> vertx.createHttpClient(clientOptions, poolOptions));
    }

    /** One client request through its attempts. */
    final class Exchange implements Router.Waiter {
        final RoutingContext ctx;
        final Buffer body;
        final String model;
        final String path;
        final String requestId;
        final long startNanos = System.nanoTime();
        final Set<Backend> tried = new HashSet<>();
        final AtomicBoolean waiting = new AtomicBoolean();
        final io.vertx.core.Context context = Vertx.currentContext();
        long queueDeadlineNanos;
        long timerId = -1;
        int attempt;
        boolean done;
        volatile boolean clientLeft;
        Slot slot;
        HttpClientRequest upstream;

        Exchange(RoutingContext ctx, Buffer body, String model, String requestId) {
            this.ctx = ctx;
            this.body = body;
            this.model = model;
            this.path = ctx.request().path();
            this.requestId = requestId;
            ctx.response().closeHandler(v -> clientGone());
        }

        @Override
        public boolean wake() {
            if (!waiting.compareAndSet(true, false)) {
                return false;
            }
            context.runOnContext(v -> {
                if (timerId >= 0) {
                    ctx.vertx().cancelTimer(timerId);
                }
                route();
            });
            return true;
        }

        void route() {
            if (done) {
                return;
            }
            Router.Result r = router.reserve(model, tried);
            switch (r.outcome()) {
                case RESERVED -> send(r.backend());
                case FULL -> waitForSlot();
                case UNKNOWN_MODEL -> fail(404, "invalid_request_error", "model_not_found", "model",
                        "The model `" + model + "` does not exist or no registered ML node serves it.", "unknown_model");
                case NO_NODE -> fail(503, "service_unavailable", null, null, tried.isEmpty()
                        ? "No healthy ML node serves the model `" + model + "` right now."
                        : "No other ML node can serve the model `" + model + "` after " + tried.size() + " failed attempt(s).",
                        "no_node");
            }
        }

        void waitForSlot() {
            if (queueDeadlineNanos == 0) {
                queueDeadlineNanos = System.nanoTime() + config.routing().queueTimeout().toNanos();
            }
            long remainingMillis = (queueDeadlineNanos - System.nanoTime()) / 1_000_000;
            waiting.set(true);
            router.enqueue(model, this);
            // the deadline is the first wait's: being woken and finding every node full again does not extend it
            timerId = ctx.vertx().setTimer(Math.max(1, remainingMillis), t -> {
                if (waiting.compareAndSet(true, false)) {
                    router.dequeue(model, this);
                    ctx.response().putHeader("Retry-After", Integer.toString(config.routing().retryAfterSeconds()));
                    fail(429, "rate_limit_error", "rate_limit_exceeded", null, "Every ML node serving `" + model
                            + "` is at its max_concurrent; retry shortly.", "full");
                }
            });
            // a slot may have freed between the failed pick and the enqueue
            Router.Result again = router.reserve(model, tried);
            if (again.outcome() == Router.Outcome.RESERVED) {
                if (waiting.compareAndSet(true, false)) {
                    router.dequeue(model, this);
                    ctx.vertx().cancelTimer(timerId);
                    send(again.backend());
                } else {
                    router.release(again.backend(), model);
                }
            }
        }

        void send(Backend backend) {
            if (done) {
                router.release(backend, model);
                return;
            }
            attempt++;
            tried.add(backend);
            slot = new Slot(backend);
            long sentAt = System.nanoTime();
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(backend.host())
                    .setPort(backend.port())
                    .setURI(backend.basePath() + path);
            Slot mine = slot;
            client().request(options).onComplete(ar -> {
                if (ar.failed()) {
                    failedBeforeBytes(mine, "connect failed: " + ar.cause().getMessage());
                    return;
                }
                HttpClientRequest req = ar.result();
                upstream = req;
                MultiMap headers = req.headers();
                ctx.request().headers().forEach(h -> {
                    if (!hop(h.getKey())) {
                        headers.add(h.getKey(), h.getValue());
                    }
                });
                headers.set("X-Request-Id", requestId);
                req.response().onComplete(rr -> {
                    if (rr.failed()) {
                        failedBeforeBytes(mine, "no response: " + rr.cause().getMessage());
                    } else {
                        respond(mine, rr.result(), sentAt);
                    }
                });
                req.exceptionHandler(e -> {
                    // errors after the response started are handled on the response
                });
                req.end(body);
            });
        }

        void respond(Slot mine, HttpClientResponse resp, long sentAt) {
            if (done) {
                resp.request().reset();
                mine.release("client gone");
                return;
            }
            if (resp.statusCode() >= 300 && resp.statusCode() < 400) {
                // an inference API never redirects; following it (or handing it on) would send the request, or the
                // client, to an address no operator registered
                resp.body().onComplete(x -> failedBeforeBytes(mine, "answered " + resp.statusCode() + ", a redirect (never followed)"));
                return;
            }
            if (resp.statusCode() >= 500 && attempt <= config.routing().maxRetries()) {
                resp.body().onComplete(x -> failedBeforeBytes(mine, "answered " + resp.statusCode()));
                return;
            }
            String length = resp.getHeader("content-length");
            if (length != null && small(length)) {
                whole(mine, resp, sentAt);
                return;
            }
            HttpServerResponse out = ctx.response();
            copyHead(resp, out);
            if (length != null) {
                out.putHeader("content-length", length);
            } else {
                out.setChunked(true);
            }
            firstByte.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            // piped by hand so that each failure is put on the side it came from: a read that fails is the
            // node's (it leaves rotation), a write that fails is the client's (the node is not to blame)
            resp.handler(chunk -> {
                if (done) {
                    return;
                }
                if (out.closed()) {
                    clientGone();
                    return;
                }
                try {
                    out.write(chunk).onFailure(e -> clientGone());
                    if (out.writeQueueFull()) {
                        resp.pause();
                        out.drainHandler(v -> resp.resume());
                    }
                } catch (IllegalStateException closed) {
                    clientGone();
                }
            });
            resp.exceptionHandler(e -> {
                if (done) {
                    return; // the client went first and the upstream request was reset for it
                }
                done = true;
                // the node broke off mid-response: nothing can be retried once bytes went out
                mine.fail("broke off mid-response: " + e.getMessage());
                ctx.request().connection().close();
            });
            resp.endHandler(v -> {
                if (!done) {
                    finish(mine, resp.statusCode(), null, sentAt);
                }
            });
        }

        /**
         * A small answer of known length (a non-streamed completion) is read whole, then handed on in one
         * write: fewer system calls per request, and a node that breaks off inside it has sent the client
         * nothing yet, so the request is retried elsewhere like any failure before bytes.
         */
        void whole(Slot mine, HttpClientResponse resp, long sentAt) {
            resp.body().onComplete(read -> {
                if (done) {
                    mine.release("client gone");
                    return;
                }
                if (read.failed()) {
                    failedBeforeBytes(mine, "broke off mid-response: " + read.cause().getMessage());
                    return;
                }
                copyHead(resp, ctx.response());
                firstByte.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
                finish(mine, resp.statusCode(), read.result(), sentAt);
            });
        }

        /**
         * The node's answer is complete: ends the client's response ({@code last}, if any, its final bytes),
         * gives the slot back, or takes the node out of rotation for a 5xx, and records the time added.
         */
        void finish(Slot mine, int status, Buffer last, long sentAt) {
            done = true;
            long upstreamNanos = System.nanoTime() - sentAt;
            HttpServerResponse out = ctx.response();
            if (!out.closed()) {
                try {
                    if (last == null) {
                        out.end();
                    } else {
                        out.end(last);
                    }
                } catch (IllegalStateException closed) {
                    // the client left in the very last moment; the answer was complete on our side
                }
            }
            if (status >= 500) {
                mine.fail("answered " + status);
            } else {
                mine.release("ok");
                added.record(Math.max(0, System.nanoTime() - startNanos - upstreamNanos), TimeUnit.NANOSECONDS);
            }
        }

        void copyHead(HttpClientResponse resp, HttpServerResponse out) {
            out.setStatusCode(resp.statusCode());
            resp.headers().forEach(h -> {
                if (!hop(h.getKey()) && !h.getKey().equalsIgnoreCase("x-request-id")) {
                    out.headers().add(h.getKey(), h.getValue());
                }
            });
        }

        void failedBeforeBytes(Slot mine, String why) {
            if (clientLeft) {
                // the upstream request was reset because the client went away: the node did nothing wrong
                mine.release("client gone");
                return;
            }
            mine.fail(why);
            if (done) {
                return;
            }
            if (attempt <= config.routing().maxRetries()) {
                retries.increment();
                Log.warnf("[%s] node %s %s; retrying on another node", requestId, mine.backend.id(), why);
                route();
            } else {
                fail(502, "server_error", null, null, "The ML node failed before answering (" + why + ") and no retry is left.",
                        "upstream_failed");
            }
        }

        void clientGone() {
            clientLeft = true;
            if (done) {
                return;
            }
            done = true;
            if (waiting.compareAndSet(true, false)) {
                router.dequeue(model, this);
                if (timerId >= 0) {
                    ctx.vertx().cancelTimer(timerId);
                }
            }
            if (upstream != null) {
                upstream.reset(); // may fail its answer at once, on this thread: failedBeforeBytes then releases the slot
            }
            if (slot != null) {
                slot.release("client gone");
            }
        }

        void fail(int status, String type, String code, String param, String message, String reason) {
            done = true;
            count(reason, null);
            OpenAiErrors.send(ctx.response(), status, type, code, param, message);
        }

        /** A reserved slot; released exactly once. */
        final class Slot {
            final Backend backend;
            final AtomicBoolean released = new AtomicBoolean();

            Slot(Backend backend) {
                this.backend = backend;
            }

            void release(String outcome) {
                if (released.compareAndSet(false, true)) {
                    router.release(backend, model);
                    count(outcome, backend);
                }
            }

            void fail(String why) {
                if (released.compareAndSet(false, true)) {
                    router.suspend(backend, System.currentTimeMillis() + config.routing().suspension().toMillis(), why);
                    router.release(backend, model);
                    count("node_failed", backend);
                    suspensions.computeIfAbsent(backend.id(), id -> Counter.builder("api.routing.suspensions").tag("node", id)
                            .description("Times a node was taken out of rotation after failing a request").register(metrics)).increment();
                }
            }

        }

        void count(String outcome, Backend backend) {
            String node = backend == null ? "none" : backend.id();
            // a model no node serves is the client's text: one tag value for all of them, or anyone could mint meters
            String tag = "unknown_model".equals(outcome) ? "(unknown)" : model;
            requests.computeIfAbsent(new RequestKey(tag, node, outcome), k -> Counter.builder("api.inference.requests")
                    .tag("model", k.model()).tag("node", k.node()).tag("outcome", k.outcome())
                    .description("Inference requests by model, node and outcome").register(metrics)).increment();
        }
    }

    /** Entry point for a completion request whose body has been read. */
    public void handle(RoutingContext ctx, String requestId) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            OpenAiErrors.send(ctx.response(), 400, "invalid_request_error", null, null, "The request body is empty; send a JSON object.");
            return;
        }
        String model;
        try {
            model = ModelField.of(body.getBytes());
        } catch (Exception e) {
            OpenAiErrors.send(ctx.response(), 400, "invalid_request_error", null, null,
                    "We could not parse the JSON body of your request: " + e.getMessage());
            return;
        }
        if (model == null || model.isBlank()) {
            OpenAiErrors.send(ctx.response(), 400, "invalid_request_error", null, "model",
                    "you must provide a model parameter");
            return;
        }
        new Exchange(ctx, body, model, requestId).route();
    }
}
