package io.gonkanode.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.local.LocalStack;
import io.gonkanode.local.StackOptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ML node self-test ({@code POST /admin/v1/nodes/{id}/test}) against the packaged stack and simulated ML nodes, on a
 * chain that stands still (no PoC round): a healthy node passes every step (reachable, serving its model, PoC
 * artifacts reaching the collector's one-off endpoint with sane vectors, validating its own artifacts, one chat
 * completion), the chain's artifact store gets nothing, routing skips the node meanwhile and the node serves again
 * after; a node with a fault fails the step that fault breaks, with its reason: forged artifacts (validation), no
 * callbacks (generation), completions failing (inference). The refusals: unknown node, a node serving inference
 * without force, a second test while one runs, bad options. And in Chromium, where there is one, the dashboard's
 * Test button shows the report.
 */
class SelfTestIT {

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    static final List<String> STEPS = List.of("reach", "model", "poc_generation", "poc_validation", "inference");

    @Test
    void theSelfTestFindsWhatIsWrongWithAnMlNode() throws Exception {
        StackOptions o = TestStacks.options("selftest");
        o.mlnodes = 2;
        o.produceBlocks = false;
        o.env("registry", "GONKA_MANAGER_POLL_INTERVAL", "1s").env("registry", "GONKA_MANAGER_SELF_TEST_GENERATE_FOR", "4s")
                .env("mlnode", "SIM_INFERENCE_UP_DELAY", "300ms").env("mlnode", "SIM_CALLBACK_INTERVAL", "1s");
        try (LocalStack stack = new LocalStack(o).start()) {
            String registry = stack.registry().url();
            for (String id : List.of("mlnode-1", "mlnode-2")) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> read(registry + "/admin/v1/nodes/" + id).path("state").path("current_status").asText().equals("INFERENCE"));
            }

            // refusals, each a JSON 4xx naming what to do
            assertError(post(registry + "/admin/v1/nodes/nope/test", "{}"), 404, "node not found: nope");
            assertError(post(registry + "/admin/v1/nodes/mlnode-1/test", "{}"), 409, "force");
            assertError(post(registry + "/admin/v1/nodes/mlnode-1/test", "{\"force\": \"yes\"}"), 400, "force must be true or false");
            assertError(post(registry + "/admin/v1/nodes/mlnode-1/test", "{\"forse\": true}"), 400, "unknown field 'forse'");
            assertError(get(registry + "/admin/v1/nodes/mlnode-1/test"), 404, "has not been tested yet");

            // a healthy node passes every step; while the test holds it, routing skips it and a second test is refused
            HttpResponse<String> started = post(registry + "/admin/v1/nodes/mlnode-1/test", "{\"force\": true}");
            assertEquals(202, started.statusCode(), started.body());
            assertEquals("running", json.readTree(started.body()).path("status").asText());
            assertError(post(registry + "/admin/v1/nodes/mlnode-1/test", "{\"force\": true}"), 409, "is running");
            assertFalse(routable(registry, "mlnode-1"), "api-node does not route to a node under test");
            JsonNode healthy = awaitFinished(registry, "mlnode-1");
            assertEquals("passed", healthy.path("status").asText(), healthy.toPrettyString());
            assertEquals(STEPS, names(healthy), healthy.toPrettyString());
            healthy.path("steps").forEach(s -> assertTrue(s.path("passed").asBoolean(), s.toString()));
            JsonNode generation = healthy.path("steps").get(2).path("details");
            assertTrue(generation.path("artifacts").asInt() > 0, generation.toString());
            assertEquals(12, generation.path("vectors").path("k_dim").asInt(), generation.toString());
            assertTrue(generation.path("vectors").path("finite").asBoolean(), generation.toString());
            assertTrue(healthy.path("nonces_per_minute").asLong() > 0, healthy.toString());
            JsonNode validation = healthy.path("steps").get(3).path("details");
            assertFalse(validation.path("fraud_detected").asBoolean(), validation.toString());
            assertTrue(validation.path("n_total").asInt() > 0, validation.toString());
            assertEquals(healthy, read(registry + "/admin/v1/nodes/mlnode-1/test"), "the last report is kept");
            // nothing reached the chain's store, and the node serves again
            try (java.sql.Connection c = stack.database().connect();
                 java.sql.ResultSet rs = c.createStatement().executeQuery("select count(*) from poc.artifact")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "no artifact stored for the chain");
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> routable(registry, "mlnode-1"));

            // faults: each breaks its step, with its reason
            String sim = stack.sims().get(1).url();
            JsonNode cheater = testWithFault(registry, sim, "cheater");
            assertFailedAt(cheater, "poc_validation", "fraud_detected");
            JsonNode silent = testWithFault(registry, sim, "no_callbacks");
            assertFailedAt(silent, "poc_generation", "no artifacts reached the collector");
            JsonNode erring = testWithFault(registry, sim, "inference_errors");
            assertFailedAt(erring, "inference", "500");
            faults(sim, null);
            // every node's last test in brief, as the dashboard's rows show it
            JsonNode briefs = read(registry + "/admin/v1/nodes/tests");
            assertEquals(2, briefs.size(), briefs.toString());
            assertEquals("passed", briefs.get(0).path("status").asText(), briefs.toString());
            assertTrue(briefs.get(0).path("failed_step").isNull(), briefs.toString());
            assertEquals("failed", briefs.get(1).path("status").asText(), briefs.toString());
            assertEquals("inference", briefs.get(1).path("failed_step").asText(), briefs.toString());
            // a test its registry never finished (stopped mid-test: the row still says running, the lease ran out) reads as failed
            try (java.sql.Connection c = stack.database().connect()) {
                assertEquals(1, c.createStatement().executeUpdate("update registry.node_test set report = replace(report, "
                        + "'\"status\":\"failed\"', '\"status\":\"running\"'), lease_until = now() - interval '1 second' "
                        + "where node_id = 'mlnode-2'"));
            }
            JsonNode cut = read(registry + "/admin/v1/nodes/mlnode-2/test");
            assertEquals("failed", cut.path("status").asText(), cut.toPrettyString());
            assertTrue(cut.path("steps").get(cut.path("steps").size() - 1).path("reason").asText().contains("cut off"), cut.toPrettyString());

            // the dashboard's Test button, in a real browser where there is one
            if (Browser.required() || Browser.ready()) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> routable(registry, "mlnode-2"));
                faults(sim, "cheater");
                Browser.run("selftest-dashboard.mjs", Map.of("DASHBOARD_URL", registry + "/", "HEALTHY_ID", "mlnode-1",
                        "FAULTY_ID", "mlnode-2", "SHOTS", Path.of("target", "selftest").toAbsolutePath().toString()));
            }
        }
    }

    JsonNode testWithFault(String registry, String sim, String fault) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> routable(registry, "mlnode-2"));
        faults(sim, fault);
        HttpResponse<String> r = post(registry + "/admin/v1/nodes/mlnode-2/test", "{\"force\": true, \"wait\": true}");
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    static void assertFailedAt(JsonNode report, String step, String reason) {
        assertEquals("failed", report.path("status").asText(), report.toPrettyString());
        JsonNode last = report.path("steps").get(report.path("steps").size() - 1);
        assertEquals(step, last.path("name").asText(), report.toPrettyString());
        assertFalse(last.path("passed").asBoolean(), report.toPrettyString());
        assertTrue(last.path("reason").asText().contains(reason), report.toPrettyString());
        for (int i = 0; i < report.path("steps").size() - 1; i++) {
            assertTrue(report.path("steps").get(i).path("passed").asBoolean(), "the steps before pass: " + report.toPrettyString());
        }
    }

    void faults(String sim, String fault) throws Exception {
        String body = "{\"inference_up_fails\":false,\"no_callbacks\":%s,\"inference_errors\":%s,\"inference_hangs\":false,"
                + "\"inference_drops\":false,\"cheater\":%s,\"state_delay_ms\":0}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim + "/sim/v1/faults")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.formatted("no_callbacks".equals(fault), "inference_errors".equals(fault),
                        "cheater".equals(fault)))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    JsonNode awaitFinished(String registry, String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = read(registry + "/admin/v1/nodes/" + id + "/test");
            return !last[0].path("status").asText().equals("running");
        });
        return last[0];
    }

    boolean routable(String registry, String id) throws Exception {
        for (JsonNode n : read(registry + "/internal/v1/nodes").path("nodes")) {
            if (n.path("id").asText().equals(id)) {
                return n.path("routable").asBoolean();
            }
        }
        throw new AssertionError(id + " is not in the internal view");
    }

    static List<String> names(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("steps").forEach(s -> out.add(s.path("name").asText()));
        return out;
    }

    void assertError(HttpResponse<String> r, int status, String text) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(json.readTree(r.body()).path("error").asText().contains(text), r.body());
    }

    HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode read(String url) throws Exception {
        return json.readTree(get(url).body());
    }
}
