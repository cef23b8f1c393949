package io.gonkanode.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in network-node callback server: records every POST (raw path and body), can refuse the first ones. */
public final class CallbackReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String rawPath, String contentType, JsonNode body, int answeredWith) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuseNext = new AtomicInteger();

    public CallbackReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 200;
            received.add(new Received(exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), JSON.readTree(body), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code n} requests get a 503. */
    public void refuse(int n) {
        refuseNext.set(n);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> accepted(String suffix) {
        return received.stream().filter(r -> r.answeredWith() == 200 && r.rawPath().endsWith(suffix)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
