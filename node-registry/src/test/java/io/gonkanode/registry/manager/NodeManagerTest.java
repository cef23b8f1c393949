package io.gonkanode.registry.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.testing.PostgresTestResource;
import io.gonkanode.testing.ScriptedMlNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static io.gonkanode.registry.manager.ManagerProfile.MODEL;
import static io.gonkanode.registry.manager.ManagerProfile.SMALL_MODEL;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node manager against scripted ML nodes, which record exactly what they were sent. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(ManagerProfile.class)
class NodeManagerTest {

    @jakarta.inject.Inject
    io.gonkanode.registry.callback.CallbackToken callbackToken;

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HASH = "8E5C2F0C9B3A4D1E7F6A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E";
    static final AtomicLong EPOCH = new AtomicLong(100);
    static final Duration WAIT = Duration.ofSeconds(20);

    final List<ScriptedMlNode> nodes = new ArrayList<>();
    final List<String> ids = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        ids.forEach(id -> given().delete("/admin/v1/nodes/" + id));
        nodes.forEach(ScriptedMlNode::close);
        announce(EPOCH.incrementAndGet(), "INFERENCE", 1);
    }

    ScriptedMlNode scripted() {
        ScriptedMlNode node = new ScriptedMlNode();
        nodes.add(node);
        return node;
    }

    String register(ScriptedMlNode node, String model, String... args) {
        String id = "m-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder a = new StringBuilder();
        for (String arg : args) {
            a.append(a.length() == 0 ? "" : ",").append('"').append(arg).append('"');
        }
        given().contentType(ContentType.JSON).body("""
                {"id":"%s","host":"127.0.0.1","inference_port":%d,"poc_port":%d,"max_concurrent":4,
                 "models":{"%s":{"args":[%s]}}}""".formatted(id, node.inferencePort(), node.managementPort(), model, a))
                .post("/admin/v1/nodes").then().statusCode(200);
        ids.add(id);
        return id;
    }

    static void announce(long epoch, String phase, long height) {
        given().contentType(ContentType.JSON).body("""
                {"epoch":%d,"phase":"%s","poc_start_block_height":%d,"block_hash":"%s",
                 "models":{"%s":{"seq_len":1024}}}""".formatted(epoch, phase, height, HASH, MODEL))
                .put("/internal/v1/round").then().statusCode(200);
    }

    static void awaitStatus(String id, String status) {
        await().atMost(WAIT).untilAsserted(() ->
                given().get("/admin/v1/nodes/" + id).then().body("state.current_status", is(status)));
    }

    @Test
    void aRegisteredNodeIsStoppedThenStartedWithTheMergedArgs() throws Exception {
        ScriptedMlNode ml = scripted();
        String id = register(ml, MODEL, "--tensor-parallel-size", "8", "--max-model-len", "4096");
        awaitStatus(id, "INFERENCE");
        List<ScriptedMlNode.Request> commands = ml.commands();
        assertEquals("/api/v1/stop", commands.get(0).rawPath());
        assertEquals("", commands.get(0).body());
        assertEquals("/api/v1/inference/up", commands.get(1).rawPath());
        assertEquals(JSON.readTree("{\"model\":\"" + MODEL + "\",\"dtype\":\"auto\",\"additional_args\":"
                        + "[\"--tensor-parallel-size\",\"4\",\"--max-model-len\",\"4096\"]}"),
                JSON.readTree(commands.get(1).body()));
        assertEquals("gonka-node-registry/test-registry", commands.get(1).userAgent());
        assertEquals(2, commands.size(), "nothing more once it serves: " + commands);
        given().get("/admin/v1/nodes/" + id).then()
                .body("state.intended_status", is("INFERENCE"))
                .body("state.loaded_model", is(MODEL))
                .body("state.ml_node_version", is("3.0.14"))
                .body("state.failure_reason", is(""));
        given().get("/internal/v1/nodes").then()
                .body("nodes.find { it.id == '" + id + "' }.routable", is(true))
                .body("nodes.find { it.id == '" + id + "' }.served_model", is(MODEL));
    }

    @Test
    void aPocRoundSendsEachEligibleNodeExactlyTheUpstreamInitGenerateAndStopsItAtTheEnd() throws Exception {
        ScriptedMlNode ml = scripted();
        String id = register(ml, MODEL);
        ScriptedMlNode disabled = scripted();
        String disabledId = register(disabled, MODEL);
        awaitStatus(id, "INFERENCE");
        awaitStatus(disabledId, "INFERENCE");
        given().post("/admin/v1/nodes/" + disabledId + "/disable").then().statusCode(200);
        int nodeNum = given().get("/admin/v1/nodes/" + id).then().extract().path("node.node_num");

        long epoch = EPOCH.incrementAndGet();
        announce(epoch, "GENERATE", 5000);
        await().atMost(WAIT).until(ml::generating);
        awaitStatus(id, "POC");
        int nodeCount = given().get("/internal/v1/round").then().extract().path("node_count");
        assertTrue(nodeCount > nodeNum);
        ScriptedMlNode.Request init = ml.commands("/api/v1/inference/pow/init/generate").get(0);
        // no GONKA_CALLBACK_TOKEN: the registry generated one, kept it, and hands it out in the callback URL
        String token = callbackToken.value().orElseThrow();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        // the view carries its SHA-256 only: the token leaves the registry inside callback URLs and nowhere else
        String view = given().get("/internal/v1/nodes").then().extract().asString();
        assertFalse(view.contains(token), view);
        assertTrue(view.contains("\"callback_token_sha256\":\"" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8))) + "\""), view);
        JsonNode expected = JSON.readTree("""
                {"block_hash":"%s","block_height":5000,"public_key":"%s","node_id":%d,"node_count":%d,
                 "params":{"model":"%s","seq_len":1024},
                 "url":"http://127.0.0.1:9100/t/%s/v2/poc-batches/Qwen%%252FQwen3-235B-A22B-Instruct-2507-FP8"}"""
                .formatted(HASH, ManagerProfile.PUBKEY_HEX, nodeNum, nodeCount, MODEL, token));
        assertEquals(expected, JSON.readTree(init.body()));
        given().get("/admin/v1/nodes/" + id).then()
                .body("state.intended_status", is("POC")).body("state.poc_intended_status", is("GENERATING"))
                .body("state.poc_current_status", is("GENERATING"));

        // a node registered during the round sits it out, but is brought up for inference
        ScriptedMlNode late = scripted();
        String lateId = register(late, MODEL);
        awaitStatus(lateId, "INFERENCE");
        given().get("/internal/v1/nodes").then()
                .body("nodes.find { it.id == '" + lateId + "' }.operational", is(false))
                .body("nodes.find { it.id == '" + lateId + "' }.routable", is(false));

        announce(epoch, "VALIDATE", 5000);
        await().atMost(WAIT).until(() -> !ml.generating());
        awaitStatus(id, "INFERENCE");
        given().get("/admin/v1/nodes/" + id).then()
                .body("state.intended_status", is("POC")).body("state.poc_intended_status", is("VALIDATING"));
        assertEquals(1, ml.commands("/api/v1/inference/pow/stop").size());
        assertEquals(1, ml.commands("/api/v1/inference/pow/init/generate").size());

        announce(epoch, "INFERENCE", 5000);
        await().atMost(WAIT).untilAsserted(() ->
                given().get("/admin/v1/nodes/" + id).then().body("state.intended_status", is("INFERENCE")));
        assertEquals(0, late.commands("/api/v1/inference/pow/init/generate").size());
        assertEquals(0, disabled.commands("/api/v1/inference/pow/init/generate").size());
        assertEquals(2, disabled.commands().size(), "a disabled node gets no commands: " + disabled.commands());
        given().get("/internal/v1/nodes").then()
                .body("nodes.find { it.id == '" + disabledId + "' }.routable", is(false))
                .body("nodes.find { it.id == '" + lateId + "' }.routable", is(true));
    }

    @Test
    void aFailingInferenceUpIsFailedWithItsReasonAndRetried() {
        ScriptedMlNode ml = scripted();
        ml.upFails(true);
        String id = register(ml, MODEL);
        await().atMost(WAIT).untilAsserted(() -> given().get("/admin/v1/nodes/" + id).then()
                .body("state.current_status", is("FAILED"))
                .body("state.failure_reason", is("BRING_UP failed: inference/up failed: scripted failure")));
        await().atMost(WAIT).until(() -> ml.commands("/api/v1/inference/up").size() >= 2);
        ml.upFails(false);
        awaitStatus(id, "INFERENCE");
        given().get("/admin/v1/nodes/" + id).then().body("state.failure_reason", is(""));
    }

    @Test
    void anUnreachableNodeIsFailedAndDrivenAgainWhenItAnswers() {
        ScriptedMlNode ml = scripted();
        String id = register(ml, MODEL);
        awaitStatus(id, "INFERENCE");
        ml.stop();
        await().atMost(WAIT).untilAsserted(() -> given().get("/admin/v1/nodes/" + id).then()
                .body("state.current_status", is("FAILED"))
                .body("state.failure_reason", startsWith("ML node unreachable: http://127.0.0.1:" + ml.managementPort())));
        given().get("/internal/v1/nodes").then().body("nodes.find { it.id == '" + id + "' }.routable", is(false));
        ml.clear();
        ml.start();
        awaitStatus(id, "INFERENCE");
        assertEquals(List.of("/api/v1/stop", "/api/v1/inference/up"),
                ml.commands().stream().map(ScriptedMlNode.Request::rawPath).toList());
    }

    @Test
    void commandsToOneNodeRunStrictlyOneAtATime() {
        ScriptedMlNode ml = scripted();
        ml.upDelay(Duration.ofMillis(1500));
        String id = register(ml, MODEL);
        awaitStatus(id, "INFERENCE");
        assertEquals(1, ml.maxConcurrentCommands());
        assertEquals(1, ml.commands("/api/v1/inference/up").size(), "polls during a slow inference/up must not restart it");
    }

    @Test
    void aChangedModelReplacesAnObsoleteInferenceUp() {
        ScriptedMlNode ml = scripted();
        ml.upDelay(Duration.ofMillis(2000));
        String id = register(ml, MODEL);
        await().atMost(WAIT).until(() -> ml.commands("/api/v1/inference/up").size() == 1);
        given().contentType(ContentType.JSON).body("""
                {"id":"%s","host":"127.0.0.1","inference_port":%d,"poc_port":%d,"max_concurrent":4,
                 "models":{"%s":{"args":[]}}}""".formatted(id, ml.inferencePort(), ml.managementPort(), SMALL_MODEL))
                .post("/admin/v1/nodes").then().statusCode(200);
        await().atMost(WAIT).untilAsserted(() -> given().get("/admin/v1/nodes/" + id).then()
                .body("state.current_status", is("INFERENCE")).body("state.loaded_model", is(SMALL_MODEL)));
        assertEquals(SMALL_MODEL, ml.model());
    }

    @Test
    void theManagerReportsItsLeadershipAndMetrics() {
        ScriptedMlNode ml = scripted();
        String id = register(ml, MODEL);
        awaitStatus(id, "INFERENCE");
        given().get("/internal/v1/manager").then().statusCode(200)
                .body("leader", is(true)).body("enabled", is(true)).body("instance_id", is("test-registry"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("registry_mlnode_commands_total{command=\"BRING_UP\",outcome=\"ok\"}"), metrics);
        assertTrue(metrics.contains("registry_nodes{status=\"INFERENCE\"}"), metrics);
        assertTrue(metrics.contains("registry_mlnode_poll_seconds_count"), metrics);
        // the per-node series follows the pass that wrote the status (awaited: the row is written first)
        await().atMost(WAIT).untilAsserted(() -> {
            String now = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(now.contains("registry_node_status{node=\"" + id + "\",status=\"INFERENCE\"} 1.0"), now);
        });

        // a node that stops answering: its one series turns FAILED, the INFERENCE one is gone
        ml.stop();
        await().atMost(WAIT).untilAsserted(() -> {
            String after = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(after.contains("registry_node_status{node=\"" + id + "\",status=\"FAILED\"} 1.0"), after);
            assertTrue(!after.contains("registry_node_status{node=\"" + id + "\",status=\"INFERENCE\"}"), after);
        });
    }

    @Test
    void theChainsGovernanceArgsWinAndItsStrongerRngReachesInitGenerate() throws Exception {
        long epoch = EPOCH.incrementAndGet();
        String models = "{\"%s\":{\"seq_len\":1024,\"model_args\":[\"--max-model-len\",\"240000\",\"--enable-auto-tool-choice\"]}}"
                .formatted(MODEL);
        String round = """
                {"epoch":%d,"phase":"%s","poc_start_block_height":7000,"block_hash":"%s","models":%s,
                 "poc_stronger_rng":true,"mlnode_version":""}""";
        given().contentType(ContentType.JSON).body(round.formatted(epoch, "INFERENCE", HASH, models))
                .put("/internal/v1/round").then().statusCode(200)
                .body("models.'" + MODEL + "'.model_args[1]", is("240000")).body("poc_stronger_rng", is(true));
        ScriptedMlNode ml = scripted();
        String id = register(ml, MODEL, "--max-model-len", "4096", "--tensor-parallel-size", "8");
        awaitStatus(id, "INFERENCE");
        JsonNode up = JSON.readTree(ml.commands("/api/v1/inference/up").get(0).body());
        List<String> args = new ArrayList<>();
        up.path("additional_args").forEach(a -> args.add(a.asText()));
        int len = args.indexOf("--max-model-len");
        assertEquals("240000", args.get(len + 1), "the governance value wins over the node's own: " + args);
        assertEquals(1, java.util.Collections.frequency(args, "--max-model-len"), args.toString());
        assertTrue(args.contains("--enable-auto-tool-choice"), args.toString());
        assertTrue(args.contains("--tensor-parallel-size"), "the node's own args stay where governance is silent: " + args);

        // the next epoch's round (a node registered during an epoch sits that epoch's round out)
        given().contentType(ContentType.JSON).body(round.formatted(EPOCH.incrementAndGet(), "GENERATE", HASH, models))
                .put("/internal/v1/round").then().statusCode(200);
        await().atMost(WAIT).until(ml::generating);
        JsonNode init = JSON.readTree(ml.commands("/api/v1/inference/pow/init/generate").get(0).body());
        assertTrue(init.path("poc_stronger_rng").asBoolean(), init.toString());
        assertEquals(2, init.path("params").size(), "params keeps model and seq_len only: " + init);
    }

    @Test
    void aConfirmationPocSeedReachesTheNodesInTheChainsLowerCase() throws Exception {
        ScriptedMlNode ml = scripted();
        String id = register(ml, MODEL);
        awaitStatus(id, "INFERENCE");
        String seed = "9f".repeat(32);
        given().contentType(ContentType.JSON).body("""
                {"epoch":%d,"phase":"GENERATE","poc_start_block_height":8123,"block_hash":"%s","models":{"%s":{"seq_len":1024}}}"""
                .formatted(EPOCH.incrementAndGet(), seed, MODEL)).put("/internal/v1/round").then().statusCode(200)
                .body("block_hash", is(seed));
        await().atMost(WAIT).until(ml::generating);
        JsonNode init = JSON.readTree(ml.commands("/api/v1/inference/pow/init/generate").get(0).body());
        assertEquals(seed, init.path("block_hash").asText(), "unchanged: ML nodes seed with these exact characters");
        assertEquals(8123, init.path("block_height").asLong());
    }

    @Test
    void chainFactsOfARoundAreValidated() {
        given().contentType(ContentType.JSON).body("""
                {"epoch":1,"phase":"INFERENCE","poc_start_block_height":1,"block_hash":"AB","models":{"m":{"seq_len":8,"model_args":[1]}},
                 "poc_stronger_rng":"yes","mlnode_version":"v/../x"}""")
                .put("/internal/v1/round").then().statusCode(400)
                .body("error", is("invalid round: models.m.model_args must be a list of strings; poc_stronger_rng must be true or false; "
                        + "mlnode_version must be up to 64 characters of A-Z a-z 0-9 . _ -"));
    }

    @Test
    void roundsAreValidated() {
        given().contentType(ContentType.JSON).body("{\"epoch\":-1,\"phase\":\"LUNCH\",\"block_hash\":\"xyz\",\"models\":[]}")
                .put("/internal/v1/round").then().statusCode(400)
                .body("error", is("invalid round: epoch must be a non-negative integer; poc_start_block_height must be a "
                        + "non-negative integer; phase must be one of GENERATE, VALIDATE, INFERENCE, got 'LUNCH'; "
                        + "block_hash must be a hex string; models must be an object {\"<model id>\": {\"seq_len\": <int>}}"));
    }
}
