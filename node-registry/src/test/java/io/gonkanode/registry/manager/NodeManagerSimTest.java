package io.gonkanode.registry.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.testing.PostgresTestResource;
import io.gonkanode.testing.RecordingServer;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.testing.Sims;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static io.gonkanode.registry.manager.ManagerProfile.MODEL;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node manager driving real mlnode-sim processes through inference and a whole PoC round. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(SimProfile.class)
class NodeManagerSimTest {

    @jakarta.inject.Inject
    io.gonkanode.registry.callback.CallbackToken callbackToken;

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HASH = "0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final int[] MGMT = {ServiceProcess.freePort(), ServiceProcess.freePort()};
    static final int[] INF = {ServiceProcess.freePort(), ServiceProcess.freePort()};
    static ServiceProcess[] sims = new ServiceProcess[2];

    @BeforeAll
    static void startSims() {
        for (int i = 0; i < 2; i++) {
            sims[i] = Sims.start("sim-" + i, MGMT[i], INF[i], Map.of("SIM_MODELS", MODEL));
        }
    }

    @AfterAll
    static void stopSims() {
        for (ServiceProcess sim : sims) {
            if (sim != null) {
                sim.stop();
            }
        }
    }

    static void register(String id, int i) {
        given().contentType(ContentType.JSON).body("""
                {"id":"%s","host":"127.0.0.1","inference_port":%d,"poc_port":%d,"max_concurrent":8,
                 "models":{"%s":{"args":["--max-model-len","8192"]}}}""".formatted(id, INF[i], MGMT[i], MODEL))
                .post("/admin/v1/nodes").then().statusCode(200);
    }

    static void awaitStatus(String id, String status) {
        await().atMost(WAIT).untilAsserted(() ->
                given().get("/admin/v1/nodes/" + id).then().body("state.current_status", is(status)));
    }

    static void announce(long epoch, String phase) {
        given().contentType(ContentType.JSON).body("""
                {"epoch":%d,"phase":"%s","poc_start_block_height":7000,"block_hash":"%s","models":{"%s":{"seq_len":1024}}}"""
                .formatted(epoch, phase, HASH, MODEL)).put("/internal/v1/round").then().statusCode(200);
    }

    @Test
    void simulatedNodesServeTakePartInPocAndRecoverFromACrash() throws Exception {
        announce(1, "INFERENCE");
        register("sim-a", 0);
        register("sim-b", 1);
        awaitStatus("sim-a", "INFERENCE");
        awaitStatus("sim-b", "INFERENCE");
        given().baseUri(sims[0].url()).get("/api/v1/state").then().body("loaded_model", is(MODEL)).body("inference_healthy", is(true));
        int numA = given().get("/admin/v1/nodes/sim-a").then().extract().path("node.node_num");
        int numB = given().get("/admin/v1/nodes/sim-b").then().extract().path("node.node_num");

        announce(2, "GENERATE");
        RecordingServer callbacks = SimProfile.CALLBACKS;
        // mlnode-sim posts to the URL it was handed: the registry's kept callback token in front of the route
        String token = callbackToken.value().orElseThrow();
        String path = "/t/" + token + "/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8/generated";
        await().atMost(WAIT).until(() -> nodeIds(callbacks, path).containsAll(Set.of(numA, numB)));
        awaitStatus("sim-a", "POC");
        JsonNode batch = JSON.readTree(callbacks.requests(path).get(0).body());
        assertEquals(HASH, batch.get("block_hash").asText());
        assertEquals(7000, batch.get("block_height").asLong());
        assertEquals(ManagerProfile.PUBKEY_HEX, batch.get("public_key").asText());

        announce(2, "VALIDATE");
        await().atMost(WAIT).untilAsserted(() -> {
            given().baseUri(sims[0].url()).get("/api/v1/inference/pow/status").then().body("status", is("IDLE"));
            given().baseUri(sims[1].url()).get("/api/v1/inference/pow/status").then().body("status", is("IDLE"));
        });
        announce(2, "INFERENCE");
        awaitStatus("sim-a", "INFERENCE");

        sims[0].kill();
        await().atMost(WAIT).untilAsserted(() -> given().get("/admin/v1/nodes/sim-a").then()
                .body("state.current_status", is("FAILED"))
                .body("state.failure_reason", startsWith("ML node unreachable")));
        given().get("/admin/v1/nodes/sim-b").then().body("state.current_status", is("INFERENCE"));
        sims[0].start(Duration.ofSeconds(60));
        awaitStatus("sim-a", "INFERENCE");
        given().baseUri(sims[0].url()).get("/api/v1/state").then().body("loaded_model", is(MODEL));
        assertTrue(numA != numB);
    }

    static Set<Integer> nodeIds(RecordingServer server, String path) {
        Set<Integer> ids = new HashSet<>();
        for (RecordingServer.Request r : server.requests(path)) {
            try {
                ids.add(JSON.readTree(r.body()).get("node_id").asInt());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return ids;
    }
}
