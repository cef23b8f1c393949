package io.gonkanode.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.local.LocalStack;
import io.gonkanode.local.StackOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

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
 * What an operator coming from upstream's network node relies on, on one stack of the packaged services.
 *
 * <p>The Gonka guide's one-machine layout in miniature: node-config registers the ML node by one address (there, host
 * {@code inference}, the nginx container) while its batches come from another (there, the {@code mlnode-308} container).
 * Here the ML node is registered by this machine's network address and posts from 127.0.0.1, the address it reaches
 * the collector by. With no callback setting at all — the stack's defaults, as compose's — the batches are accepted:
 * the registry hands the ML node its kept callback token inside the callback URL. The same posts without the token
 * are refused, so it is the token, not the address, that lets them in.
 *
 * <p>{@code deploy/migrate-from-upstream import} registers the nodes of an upstream api's {@code GET /admin/v1/nodes}.
 *
 * <p>Upstream's version checks: {@code GET /admin/v1/nodes/upgrade-status} (not a node id) reports each node at the
 * MLNode version of the upgrade the chain schedules, {@code POST /admin/v1/nodes/version-status} at any version.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DropInIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalStack stack;
    static StackOptions options;
    static String networkAddress;

    @BeforeAll
    static void up() throws Exception {
        networkAddress = networkAddress().orElse(null);
        assumeTrue(networkAddress != null, "this machine has no non-loopback IPv4 address to register the ML node by");
        StackOptions o = TestStacks.options("dropin");
        options = o;
        o.mlnodes = 1;
        o.peers = 0;
        o.registerSims = false;
        o.produceBlocks = false;
        // the ML node's nginx knows the current API version and the one the chain will switch to
        o.env("mlnode", "SIM_API_VERSIONS", "v3.0.8,v3.0.9");
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
    @Order(1)
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

        String token;
        try (Connection c = stack.database().connect();
             ResultSet rs = c.createStatement().executeQuery("select value from registry.kept_secret where name = 'callback_token'")) {
            assertTrue(rs.next(), "the registry keeps the token it generated");
            token = rs.getString(1);
        }
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "32 random bytes: " + token);
        assertFalse(send("GET", registry + "/internal/v1/nodes", null).body().contains(token), "the view carries its hash only");
        String metrics = send("GET", collector + "/q/metrics", null).body();
        assertTrue(metrics.contains("collector_callbacks_refused_total{reason=\"token\"} 0.0"), "no batch had a wrong token: " + metrics);
    }

    @Test
    @Order(2)
    void theVersionChecksOfUpstreamAnswerPerNode() throws Exception {
        String registry = stack.registry().url();
        String chain = stack.chain().url();
        // a second node nobody answers for
        int closed = TestStacks.freePort();
        assertEquals(200, send("POST", registry + "/admin/v1/nodes", """
                {"id": "gone", "host": "127.0.0.1", "inference_port": %d, "poc_port": %d, "max_concurrent": 1,
                 "models": {"%s": {"args": []}}}""".formatted(closed, closed, LocalStack.MODEL)).statusCode());

        HttpResponse<String> none = send("GET", registry + "/admin/v1/nodes/upgrade-status", null);
        assertEquals(200, none.statusCode(), none.body());
        assertEquals(JSON.readTree("{\"message\":\"No upgrade plan active\"}"), JSON.readTree(none.body()));

        long height = get(chain + "/sim/v1/state").path("height").asLong();
        assertEquals(200, send("POST", chain + "/sim/v1/upgrades",
                "{\"height\": " + (height + 500) + ", \"node_version\": \"v3.0.9\"}").statusCode());
        assertEquals("v3.0.9", get(stack.collector().url() + "/v1/chain/upgrade-plan").path("plan").path("node_version").asText());
        JsonNode planned = JSON.readTree(send("GET", registry + "/admin/v1/nodes/upgrade-status", null).body());
        // the ML node answers under the planned version's prefix; the other node answers nothing
        assertEquals(JSON.readTree("{\"is_alive\":true}"), planned.path("gpu-box"), planned.toString());
        assertFalse(planned.path("gone").path("is_alive").asBoolean(true), planned.toString());
        assertTrue(planned.path("gone").path("error").asText().contains("127.0.0.1:" + closed + "/v3.0.9/api/v1/state"),
                planned.toString());

        JsonNode any = JSON.readTree(send("POST", registry + "/admin/v1/nodes/version-status", "{\"version\":\"v3.0.12\"}").body());
        assertFalse(any.path("gpu-box").path("is_alive").asBoolean(true), "no route for that version yet: " + any);
        assertTrue(any.path("gpu-box").path("error").asText().contains("/v3.0.12/api/v1/state answered 404"), any.toString());
        assertTrue(any.path("gone").path("error").asText().contains("/v3.0.12/api/v1/state"), any.toString());
        assertTrue(JSON.readTree(send("POST", registry + "/admin/v1/nodes/version-status", "{\"version\":\"v3.0.8\"}").body())
                .path("gpu-box").path("is_alive").asBoolean());
        HttpResponse<String> missing = send("POST", registry + "/admin/v1/nodes/version-status", "{}");
        assertEquals(400, missing.statusCode());
        assertEquals("Version field is required", JSON.readTree(missing.body()).path("error").asText());
        HttpResponse<String> broken = send("POST", registry + "/admin/v1/nodes/version-status", "{\"version\":");
        assertEquals(400, broken.statusCode());
        assertEquals("Invalid request body", JSON.readTree(broken.body()).path("error").asText());
        // and a node id is still a node id
        assertEquals(404, send("GET", registry + "/admin/v1/nodes/upgrade-statu", null).statusCode());
        assertEquals(200, send("GET", registry + "/admin/v1/nodes/gone", null).statusCode());
    }

    @Test
    @Order(3)
    void nodesExportedFromUpstreamsApiAreImportedWithTheMigrationScript() throws Exception {
        // what upstream's GET /admin/v1/nodes answers (network node spec 1.6), saved by `migrate-from-upstream export`
        java.nio.file.Path export = options.dataDir.resolve("nodes-export.json");
        java.nio.file.Files.writeString(export, """
                [{"node": {"host": "10.1.0.7", "inference_segment": "", "inference_port": 5050, "poc_segment": "", "poc_port": 8080,
                           "models": {"%1$s": {"args": ["--tensor-parallel-size", "4"]}},
                           "id": "upstream-a", "max_concurrent": 500, "node_num": 1, "hardware": null},
                  "state": {"intended_status": "INFERENCE", "current_status": "INFERENCE", "poc_intended_status": "IDLE",
                            "poc_current_status": "IDLE", "lock_count": 0, "failure_reason": "",
                            "status_timestamp": "2026-11-28T08:37:08.123456789Z", "admin_state": {"enabled": true, "epoch": 12},
                            "ml_node_version": "3.0.14", "poc_validation_inference": false, "epoch_models": {}, "epoch_ml_nodes": {},
                            "preserved_models": {}}},
                 {"node": {"host": "10.1.0.8", "inference_segment": "", "inference_port": 5050, "poc_segment": "", "poc_port": 8080,
                           "models": {"%1$s": {"args": []}}, "id": "upstream-b", "max_concurrent": 250, "node_num": 2,
                           "hardware": [{"type": "NVIDIA H200", "count": 8}]},
                  "state": {"intended_status": "INFERENCE", "current_status": "FAILED", "lock_count": 0,
                            "admin_state": {"enabled": false, "epoch": 11}}}]""".formatted(LocalStack.MODEL));
        Process p = new ProcessBuilder("bash", java.nio.file.Path.of("..", "deploy", "migrate-from-upstream").toString(), "import",
                "--registry", stack.registry().url(), "--file", export.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("every node registered"), out);
        JsonNode a = get(stack.registry().url() + "/admin/v1/nodes/upstream-a").path("node");
        assertEquals("10.1.0.7", a.path("host").asText());
        assertEquals(500, a.path("max_concurrent").asInt());
        assertEquals("--tensor-parallel-size", a.path("models").path(LocalStack.MODEL).path("args").path(0).asText());
        JsonNode b = get(stack.registry().url() + "/admin/v1/nodes/upstream-b").path("node");
        assertEquals("NVIDIA H200", b.path("hardware").path(0).path("type").asText(), b.toString());
        // the same export again: an upsert, nothing doubled
        Process again = new ProcessBuilder("bash", java.nio.file.Path.of("..", "deploy", "migrate-from-upstream").toString(), "import",
                "--registry", stack.registry().url(), "--file", export.toString()).redirectErrorStream(true).start();
        String twice = new String(again.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, again.waitFor(), twice);
        long upstreamNodes = 0;
        for (JsonNode e : get(stack.registry().url() + "/admin/v1/nodes")) {
            upstreamNodes += e.path("node").path("id").asText().startsWith("upstream-") ? 1 : 0;
        }
        assertEquals(2, upstreamNodes);
    }
}
