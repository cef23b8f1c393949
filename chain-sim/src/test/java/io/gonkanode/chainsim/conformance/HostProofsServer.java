package io.gonkanode.chainsim.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The host under test's proofs API as the test plays it (writes spec §5.1, §5.3), on a port of its own: it answers
 * {@code POST /v1/poc/proofs} from the trees of the counts the test committed and keeps every request it got, so
 * the test can check what the peers asked and how they signed.
 */
final class HostProofsServer implements AutoCloseable {

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    /** Stage → count → tree. */
    private final Map<Long, Map<Long, TestSmst>> committed = new ConcurrentHashMap<>();
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    HostProofsServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/v1/poc/proofs", this::proofs);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The first {@code count} artifacts of the stage: nonces 0 … count−1 with vectors tv(nonce). */
    TestSmst commit(long stage, long count) {
        Map<Integer, byte[]> artifacts = new LinkedHashMap<>();
        for (int n = 0; n < count; n++) {
            artifacts.put(n, TestSmst.tv(n));
        }
        TestSmst tree = new TestSmst(artifacts);
        committed.computeIfAbsent(stage, s -> new ConcurrentHashMap<>()).put(count, tree);
        return tree;
    }

    private void proofs(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode r = json.readTree(ex.getRequestBody().readAllBytes());
            requests.add(r);
            TestSmst tree = committed.getOrDefault(r.path("poc_stage_start_block_height").asLong(), Map.of())
                    .get(r.path("count").asLong());
            if (tree == null) {
                send(ex, 400, json.createObjectNode().put("error", "count exceeds stored artifacts"));
                return;
            }
            ObjectNode out = json.createObjectNode();
            var proofs = out.putArray("proofs");
            for (JsonNode i : r.path("leaf_indices")) {
                long index = i.asLong();
                var item = proofs.addObject().put("leaf_index", index).put("nonce_value", tree.nonceAt(index))
                        .put("vector_bytes", Base64.getEncoder().encodeToString(tree.vectorAt(index)));
                var elements = item.putArray("proof");
                tree.proof(index).forEach(e -> elements.add(Base64.getEncoder().encodeToString(e)));
            }
            send(ex, 200, out);
        }
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
