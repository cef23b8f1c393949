package io.gonkanode.testing;

import io.gonkanode.local.ServiceProcess;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted ML node for edge cases a real simulator does not reach on demand: it keeps the mlnode 3.0.14
 * state machine (STOPPED / INFERENCE, PoC v2 generating or not), records every request exactly as it
 * arrived (method, raw path, body, User-Agent) and can be told to fail, slow down or go away.
 */
public final class ScriptedMlNode implements AutoCloseable {

    /** One request as received. */
    public record Request(String method, String rawPath, String body, String userAgent, String contentType, Instant at) {
    }

    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern HEIGHT = Pattern.compile("\"block_height\"\\s*:\\s*(\\d+)");

    private final int managementPort;
    private final int inferencePort;
    private HttpServer management;
    private HttpServer inference;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger commandsNow = new AtomicInteger();
    private final AtomicInteger commandsMax = new AtomicInteger();

    private volatile String state = "STOPPED";
    private volatile String model;
    private volatile boolean generating;
    private volatile long generatingHeight;
    private volatile boolean upFails;
    private volatile Duration upDelay = Duration.ZERO;
    private volatile boolean healthy = true;

    public ScriptedMlNode() {
        this(ServiceProcess.freePort(), ServiceProcess.freePort());
    }

    public ScriptedMlNode(int managementPort, int inferencePort) {
        this.managementPort = managementPort;
        this.inferencePort = inferencePort;
        start();
    }

    /** Starts listening (again) on the same ports. */
    public synchronized void start() {
        try {
            management = HttpServer.create(new InetSocketAddress("127.0.0.1", managementPort), 64);
            management.setExecutor(Executors.newCachedThreadPool());
            management.createContext("/", this::managementRoute);
            management.start();
            inference = HttpServer.create(new InetSocketAddress("127.0.0.1", inferencePort), 64);
            inference.setExecutor(Executors.newCachedThreadPool());
            inference.createContext("/", this::inferenceRoute);
            inference.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops listening: the node becomes unreachable, as if its machine went down. */
    public synchronized void stop() {
        if (management != null) {
            management.stop(0);
            inference.stop(0);
            management = null;
            inference = null;
        }
        state = "STOPPED";
        model = null;
        generating = false;
    }

    @Override
    public void close() {
        stop();
    }

    public int managementPort() {
        return managementPort;
    }

    public int inferencePort() {
        return inferencePort;
    }

    public void upFails(boolean fails) {
        this.upFails = fails;
    }

    public void upDelay(Duration delay) {
        this.upDelay = delay;
    }

    public void healthy(boolean healthy) {
        this.healthy = healthy;
    }

    public String state() {
        return state;
    }

    public String model() {
        return model;
    }

    public boolean generating() {
        return generating;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Every POST, in arrival order: the commands the network node sent. */
    public List<Request> commands() {
        return requests.stream().filter(r -> r.method().equals("POST")).toList();
    }

    public List<Request> commands(String path) {
        return commands().stream().filter(r -> r.rawPath().equals(path)).toList();
    }

    /** The most commands that were ever being processed at once. */
    public int maxConcurrentCommands() {
        return commandsMax.get();
    }

    public void clear() {
        requests.clear();
        commandsMax.set(0);
    }

    private void managementRoute(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getRawPath();
        requests.add(new Request(ex.getRequestMethod(), path, body, ex.getRequestHeaders().getFirst("User-Agent"),
                ex.getRequestHeaders().getFirst("Content-Type"), Instant.now()));
        boolean command = ex.getRequestMethod().equals("POST");
        if (command) {
            commandsMax.accumulateAndGet(commandsNow.incrementAndGet(), Math::max);
        }
        try {
            switch (ex.getRequestMethod() + " " + path) {
                case "GET /api/v1/state" -> json(ex, 200, stateJson());
                case "POST /api/v1/stop" -> {
                    state = "STOPPED";
                    model = null;
                    generating = false;
                    json(ex, 200, "{\"status\":\"OK\"}");
                }
                case "POST /api/v1/inference/up" -> {
                    sleep(upDelay);
                    if (upFails) {
                        json(ex, 200, "{\"status\":\"ERROR\",\"message\":\"scripted failure\"}");
                    } else {
                        Matcher m = MODEL.matcher(body);
                        model = m.find() ? m.group(1) : null;
                        state = "INFERENCE";
                        json(ex, 200, "{\"status\":\"OK\"}");
                    }
                }
                case "GET /api/v1/inference/pow/status" -> json(ex, 200, generating
                        ? "{\"status\":\"GENERATING\",\"backends\":[{\"port\":5001,\"status\":\"GENERATING\",\"config\":{\"block_height\":"
                        + generatingHeight + "},\"stats\":{\"total_processed\":0,\"nonces_per_second\":0}}]}"
                        : "INFERENCE".equals(state) ? "{\"status\":\"IDLE\",\"backends\":[{\"port\":5001,\"status\":\"IDLE\",\"config\":null,\"stats\":null}]}"
                        : "{\"status\":\"NO_BACKENDS\",\"backends\":[]}");
                case "POST /api/v1/inference/pow/init/generate" -> {
                    if (!"INFERENCE".equals(state)) {
                        json(ex, 503, "{\"detail\":\"No vLLM backends available\"}");
                    } else {
                        Matcher m = HEIGHT.matcher(body);
                        generatingHeight = m.find() ? Long.parseLong(m.group(1)) : -1;
                        generating = true;
                        json(ex, 200, "{\"status\":\"OK\",\"backends\":1,\"n_groups\":1,\"results\":[{\"port\":5001,\"status\":\"OK\"}],\"errors\":null}");
                    }
                }
                case "POST /api/v1/inference/pow/stop" -> {
                    generating = false;
                    json(ex, 200, "{\"status\":\"OK\",\"results\":[{\"port\":5001,\"status\":\"stopped\"}],\"errors\":null}");
                }
                case "POST /api/v1/inference/pow/generate" -> json(ex, 200,
                        "{\"status\":\"queued\",\"request_id\":\"5001:scripted\",\"queued_count\":1}");
                default -> json(ex, 404, "{\"detail\":\"Not Found\"}");
            }
        } finally {
            if (command) {
                commandsNow.decrementAndGet();
            }
        }
    }

    private String stateJson() {
        boolean inf = "INFERENCE".equals(state);
        return "{\"version\":\"3.0.14\",\"state\":\"" + state + "\",\"poc_status\":"
                + (inf ? "\"" + (generating ? "GENERATING" : "IDLE") + "\"" : "null")
                + ",\"inference_healthy\":" + (inf ? String.valueOf(healthy) : "null")
                + ",\"loaded_model\":" + (inf && model != null ? "\"" + model + "\"" : "null")
                + ",\"poc_validation_inference\":false}";
    }

    private void inferenceRoute(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        String path = ex.getRequestURI().getRawPath();
        boolean up = "INFERENCE".equals(state);
        if (path.equals("/health")) {
            ex.sendResponseHeaders(up && healthy ? 200 : 503, -1);
            ex.close();
        } else if (path.equals("/v1/models")) {
            json(ex, 200, "{\"object\":\"list\",\"data\":[" + (up && model != null ? "{\"id\":\"" + model + "\",\"object\":\"model\"}" : "") + "]}");
        } else {
            json(ex, 404, "{\"detail\":\"Not Found\"}");
        }
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
