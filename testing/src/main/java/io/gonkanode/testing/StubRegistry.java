package io.gonkanode.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for node-registry's internal API ({@code GET /internal/v1/nodes}, {@code PUT /internal/v1/round}, {@code PUT|DELETE /internal/v1/chain})
 * in the shapes the registry's own tests pin down, for services tested without a registry process.
 */
public final class StubRegistry implements AutoCloseable {

    /** A node as the view lists it. */
    public record Node(String id, int nodeNum, String host, int pocPort, int inferencePort, String model, String status,
                       boolean healthy, boolean enabled, int maxConcurrent) {

        public static Node serving(String id, int nodeNum, int pocPort, int inferencePort, String model) {
            return new Node(id, nodeNum, "127.0.0.1", pocPort, inferencePort, model, "INFERENCE", true, true, 8);
        }

        String json() {
            boolean routable = enabled && "INFERENCE".equals(status) && healthy;
            return """
                    {"id":"%s","node_num":%d,"host":"%s","inference_port":%d,"inference_segment":"","poc_port":%d,"poc_segment":"",
                     "max_concurrent":%d,"models":{"%s":{"args":[]}},"hardware":null,"enabled":%s,"admin_epoch":0,"operational":true,
                     "routable":%s,"served_model":"%s","state":{"status":"%s","poc_status":"IDLE","intended_status":"INFERENCE",
                     "poc_intended_status":"IDLE","failure_reason":"","status_timestamp":"2026-01-01T00:00:00Z","ml_node_version":"3.0.14",
                     "loaded_model":"%s","inference_healthy":%s}}""".formatted(id, nodeNum, host, inferencePort, pocPort,
                    maxConcurrent, model, enabled, routable, model, status, model, healthy);
        }
    }

    private final HttpServer server;
    private final List<String> rounds = new CopyOnWriteArrayList<>();
    private final List<String> chainViews = new CopyOnWriteArrayList<>();
    private final List<String> loadReports = new CopyOnWriteArrayList<>();
    private volatile List<Node> nodes = List.of();
    private volatile int version;
    private volatile String callbackToken;
    private volatile boolean down;
    private final java.util.concurrent.atomic.AtomicInteger servedSinceChange = new java.util.concurrent.atomic.AtomicInteger();

    public StubRegistry() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/internal/v1/nodes", ex -> {
            ex.getRequestBody().readAllBytes();
            if (down) {
                ex.sendResponseHeaders(500, -1);
                ex.close();
                return;
            }
            servedSinceChange.incrementAndGet();
            String etag = "\"v" + version + "\"";
            if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                ex.sendResponseHeaders(304, -1);
                ex.close();
                return;
            }
            StringBuilder body = new StringBuilder("{\"version\":\"v" + version + "\",\"nodes\":[");
            List<Node> current = nodes;
            for (int i = 0; i < current.size(); i++) {
                body.append(i == 0 ? "" : ",").append(current.get(i).json());
            }
            body.append("]");
            String token = callbackToken;
            if (token != null) {
                body.append(",\"callback_token_sha256\":\"").append(sha256Hex(token)).append('"');
            }
            body.append("}");
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("ETag", etag);
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.createContext("/internal/v1/round", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            rounds.add(body);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.createContext("/internal/v1/chain", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if ("PUT".equals(ex.getRequestMethod())) {
                chainViews.add(body);
            }
            byte[] bytes = ("PUT".equals(ex.getRequestMethod()) ? body : "true").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.createContext("/internal/v1/load", ex -> {
            loadReports.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    /** The load reports received ({@code PUT /internal/v1/load}), raw JSON, in order. */
    public List<String> loadReports() {
        return List.copyOf(loadReports);
    }

    /** The chain views received ({@code PUT /internal/v1/chain}), raw JSON, in order. */
    public List<String> chainViews() {
        return List.copyOf(chainViews);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized void nodes(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
        servedSinceChange.set(0);
        version++;
    }

    static String sha256Hex(String token) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The callback token node-registry hands out, whose SHA-256 the view carries (null: none). */
    public synchronized void callbackToken(String token) {
        this.callbackToken = token;
        servedSinceChange.set(0);
        version++;
    }

    /** Answers 500 to every view request while {@code down} (a registry that is away). */
    public void down(boolean down) {
        this.down = down;
    }

    /**
     * View requests answered since the last change: once this reaches 2 a poller that fetched the new view
     * has also applied it (its next poll came after).
     */
    public int servedSinceChange() {
        return servedSinceChange.get();
    }

    /** The round announcements received, raw JSON, in order. */
    public List<String> rounds() {
        return List.copyOf(rounds);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
