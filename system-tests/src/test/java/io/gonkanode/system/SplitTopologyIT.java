package io.gonkanode.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.local.LocalStack;
import io.gonkanode.local.StackOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Gonka guide's one-machine layout in miniature: node-config registers the ML node by one address (there, host
 * {@code inference}, the nginx container) while its batches come from another (there, the {@code mlnode-308} container).
 * Here the ML node is registered by this machine's network address and posts from 127.0.0.1, the address it reaches
 * the collector by. With no callback setting at all — the stack's defaults, as compose's — the batches are accepted:
 * the registry hands the ML node its kept callback token inside the callback URL. The same posts without the token
 * are refused, so it is the token, not the address, that lets them in.
 */
class SplitTopologyIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalStack stack;
    static StackOptions options;
    static String networkAddress;

    @BeforeAll
    static void up() throws Exception {
        networkAddress = networkAddress().orElse(null);
        assumeTrue(networkAddress != null, "this machine has no non-loopback IPv4 address to register the ML node by");
        StackOptions o = TestStacks.options("split");
        options = o;
        o.mlnodes = 1;
        o.peers = 0;
        o.registerSims = false;
        o.produceBlocks = false;
        stack = new LocalStack(o).start();
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.close();
        }
    }

    static Optional<String> networkAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }

    static HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode get(String url) throws Exception {
        return JSON.readTree(send("GET", url, null).body());
    }

    static long stored(long stage, int nodeNum) throws Exception {
        try (Connection c = stack.database().connect();
             ResultSet rs = c.createStatement().executeQuery(
                     "select count(*) from poc.artifact where stage_height = " + stage + " and node_num = " + nodeNum)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void batchesFromAnotherAddressThanTheRegisteredOneAreAcceptedWithoutConfiguration() throws Exception {
        String registry = stack.registry().url();
        String collector = stack.collector().url();
        String chain = stack.chain().url();
        int pocPort = stack.sims().get(0).port();
        int inferencePort = options.simInferencePortBase;
        String node = """
                {"id": "gpu-box", "host": "%s", "inference_port": %d, "poc_port": %d, "max_concurrent": 16,
                 "models": {"%s": {"args": []}}}""".formatted(networkAddress, inferencePort, pocPort, LocalStack.MODEL);
        assertEquals(200, send("POST", registry + "/admin/v1/nodes", node).statusCode());
        int nodeNum = get(registry + "/admin/v1/nodes/gpu-box").path("node").path("node_num").asInt();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "INFERENCE".equals(get(registry + "/admin/v1/nodes/gpu-box").path("state").path("current_status").asText()));

        // the collector is reached at 127.0.0.1, so that is where posts come from; the registered address is another one
        String plain = collector + "/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8/generated";
        String batch = """
                {"block_hash":"AB","block_height":20,"public_key":"02aa","node_id":%d,
                 "artifacts":[{"nonce":1,"vector_b64":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}]}""".formatted(nodeNum);
        HttpResponse<String> stranger = send("POST", plain, batch);
        assertEquals(403, stranger.statusCode(), stranger.body());
        assertTrue(stranger.body().contains("(source 127.0.0.1)"), stranger.body());

        // epoch 1's PoC stage starts at block 20: the ML node generates and posts to the URL it was handed
        long height = get(chain + "/sim/v1/state").path("height").asLong();
        stack.makeBlocks((int) (20 - height));
        await().atMost(Duration.ofSeconds(120)).until(() -> stored(20, nodeNum) > 0);

        String token = get(registry + "/internal/v1/nodes").path("callback_token").asText();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "generated and kept by the registry: " + token);
        String metrics = send("GET", collector + "/q/metrics", null).body();
        assertFalse(metrics.contains("collector_callbacks_refused_total{reason=\"token\"}"), "no batch had a wrong token");
    }
}
