package io.gonkanode.collector.validation;

import io.gonkanode.testing.Sims;
import io.gonkanode.collector.ManualClock;
import io.gonkanode.collector.RoundStackResource;
import io.gonkanode.collector.chain.EpochParams;
import io.gonkanode.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole PoC round on real processes: node-registry drives four simulated ML nodes, they post artifacts
 * to the collector under test, the collector validates them on other nodes and computes the weights. The
 * test moves the block height, so every phase happens on cue.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(PocRoundTest.Stack.class)
class PocRoundTest {

    /** The collector with a real registry and simulated nodes around it. */
    public static class Stack implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RoundStackResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gonka.poc.validation-timeout", "8s");
        }
    }

    static final Duration WAIT = Duration.ofSeconds(60);
    static final double SCALE = 0.3593;

    @Inject
    ManualClock clock;

    Map<Integer, Long> storedPerNode() throws Exception {
        Map<Integer, Long> out = new HashMap<>();
        try (Connection c = PostgresTestResource.current().connect();
             ResultSet rs = c.createStatement().executeQuery("select node_num, count(*) from poc.artifact group by node_num")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return out;
    }

    Map<String, String> validationStatus() throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = PostgresTestResource.current().connect();
             ResultSet rs = c.createStatement().executeQuery("select node_num, status, tried from poc.validation")) {
            while (rs.next()) {
                out.put(Integer.toString(rs.getInt(1)), rs.getString(2) + " tried " + rs.getString(3));
            }
        }
        return out;
    }

    @Test
    void aFullRoundWeighsHonestNodesByTheirArtifactsAndTheCheaterAtZero() throws Exception {
        String registry = RoundStackResource.registryUrl();
        for (Sims.Sim sim : RoundStackResource.sims()) {
            given().baseUri(registry).contentType(ContentType.JSON).body("""
                    {"id":"%s","host":"127.0.0.1","inference_port":%d,"poc_port":%d,"max_concurrent":4,
                     "models":{"%s":{"args":[]}}}""".formatted(sim.id(), sim.inferencePort(), sim.managementPort(),
                    RoundStackResource.MODEL)).post("/admin/v1/nodes").then().statusCode(200);
        }
        await().atMost(WAIT).untilAsserted(() -> given().baseUri(registry).get("/internal/v1/nodes").then()
                .body("nodes.findAll { it.routable }.size()", is(4)));

        EpochParams p = clock.math().params();
        long start = clock.math().pocStart(1);
        clock.set(start);
        await().atMost(WAIT).until(() -> {
            Map<Integer, Long> n = storedPerNode();
            return n.getOrDefault(1, 0L) >= 200 && n.getOrDefault(3, 0L) >= 200 && n.getOrDefault(4, 0L) >= 200;
        });
        assertEquals(null, storedPerNode().get(2), "the mute node's artifacts never arrive");

        clock.set(start + p.endOfGeneration());
        // the registry stops generation on every node; then the exchange window closes
        await().atMost(WAIT).untilAsserted(() -> given().baseUri(registry).get("/admin/v1/nodes").then()
                .body("findAll { it.state.poc_current_status == 'GENERATING' }.size()", is(0))
                .body("findAll { it.state.poc_intended_status == 'VALIDATING' }.size()", is(4)));
        clock.set(start + Math.max(p.validationStart(), p.exchangeDeadline() + 1));
        await().atMost(WAIT).until(() -> {
            Map<String, String> v = validationStatus();
            return v.size() == 3 && v.values().stream().noneMatch(s -> s.startsWith("PENDING") || s.startsWith("SENT"));
        });
        Map<String, String> verdicts = validationStatus();
        assertTrue(verdicts.get("1").startsWith("PASSED tried 2,3"), "node 1's first validator (the mute node 2) was replaced: " + verdicts);
        assertTrue(verdicts.get("3").startsWith("PASSED"), verdicts.toString());
        assertTrue(verdicts.get("4").startsWith("FRAUD"), verdicts.toString());

        clock.set(start + p.setNewValidators());
        await().atMost(WAIT).untilAsserted(() -> given().get("/v1/epochs/1/weights").then().statusCode(200));
        Map<Integer, Long> stored = storedPerNode();
        JsonPath weights = given().get("/v1/epochs/1/weights").then().extract().jsonPath();
        long honest = 0;
        for (int node : new int[] {1, 3}) {
            long count = stored.get(node);
            assertEquals(count, weights.getLong("nodes.find { it.node_num == " + node + " }.artifact_count"));
            long weight = (long) Math.floor(count * SCALE);
            assertEquals(weight, weights.getLong("nodes.find { it.node_num == " + node + " }.weight"));
            honest += weight;
        }
        assertEquals(0, weights.getLong("nodes.find { it.node_num == 4 }.weight"));
        assertEquals("FRAUD", weights.getString("nodes.find { it.node_num == 4 }.status"));
        assertEquals(honest, weights.getLong("host_weight"));

        given().get("/v1/epochs/1/participants").then().statusCode(200)
                .body("active_participants.participants[0].index", is("gonka1dltwc37njhkapzklt9frfhvlk3lpcfz69faly9"))
                .body("active_participants.participants[0].weight", is((int) honest))
                .body("active_participants.participants[0].models[0]", is(RoundStackResource.MODEL))
                .body("active_participants.participants[0].ml_nodes[0].ml_nodes.node_id", org.hamcrest.Matchers.contains("honest-1", "honest-2"))
                .body("active_participants.epoch_id", is(1))
                .body("active_participants.poc_start_block_height", is((int) start));
        given().get("/v1/epochs/current/participants").then().statusCode(200).body("active_participants.epoch_id", is(1));
    }
}
