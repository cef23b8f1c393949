package io.gonkanode.registry.manager;

import io.gonkanode.testing.ScriptedMlNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.gonkanode.registry.manager.ManagerProfile.MODEL;
import static io.gonkanode.registry.manager.ManagerProfile.SMALL_MODEL;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chain's view of this host's nodes as poc-collector sends it: the governance models decide what a node may
 * register (dropped on create as upstream, refused on update, an error only when none remains) and which args win;
 * the epoch assignment fills {@code epoch_models}/{@code epoch_ml_nodes} and picks the node's model; a preserved
 * node keeps serving inference through a PoC round while the others generate.
 */
@QuarkusTest
@TestProfile(ManagerProfile.class)
class ChainViewTest {

    static final String OTHER = "Other/Not-Governance";
    static final Duration WAIT = Duration.ofSeconds(20);

    final List<ScriptedMlNode> nodes = new ArrayList<>();
    final List<String> ids = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        ids.forEach(id -> given().delete("/admin/v1/nodes/" + id));
        nodes.forEach(ScriptedMlNode::close);
        given().delete("/internal/v1/chain").then().statusCode(200);
        NodeManagerTest.announce(NodeManagerTest.EPOCH.incrementAndGet(), "INFERENCE", 1);
    }

    ScriptedMlNode scripted() {
        ScriptedMlNode node = new ScriptedMlNode();
        nodes.add(node);
        return node;
    }

    String node(String id, ScriptedMlNode ml, String... models) {
        StringBuilder m = new StringBuilder();
        for (String model : models) {
            m.append(m.length() == 0 ? "" : ",").append("\"").append(model).append("\":{\"args\":[]}");
        }
        return """
                {"id":"%s","host":"127.0.0.1","inference_port":%d,"poc_port":%d,"max_concurrent":4,"models":{%s}}"""
                .formatted(id, ml.inferencePort(), ml.managementPort(), m);
    }

    static void view(String body) {
        given().contentType(ContentType.JSON).body(body).put("/internal/v1/chain").then().statusCode(200);
    }

    @Test
    void governanceModelsDecideWhatANodeMayServe() {
        view("""
                {"epoch":3,"governance_models":{"%s":["--max-model-len","240000"],"%s":[]},
                 "epoch_models":{},"epoch_ml_nodes":{},"preserved_nodes":{}}""".formatted(SMALL_MODEL, "Gov/Second"));
        ScriptedMlNode ml = scripted();
        String id = "cv-" + UUID.randomUUID().toString().substring(0, 8);
        // created: the models that are not governance models are dropped (the configured MODEL is not one on this chain)
        given().contentType(ContentType.JSON).body(node(id, ml, MODEL, SMALL_MODEL, OTHER)).post("/admin/v1/nodes")
                .then().statusCode(200).body("models", aMapWithSize(1)).body("models", hasKey(SMALL_MODEL));
        ids.add(id);
        given().get("/admin/v1/nodes/" + id).then().body("node.models", aMapWithSize(1));
        // and brought up with the chain's governance args
        await().atMost(WAIT).until(() -> !ml.commands("/api/v1/inference/up").isEmpty());
        assertTrue(ml.commands("/api/v1/inference/up").get(0).body().contains("\"--max-model-len\",\"240000\""));

        // an update must name governance models only
        given().contentType(ContentType.JSON).body(node(id, ml, SMALL_MODEL, OTHER)).post("/admin/v1/nodes")
                .then().statusCode(400).body("error", is("failed to update node: validation failed: model " + OTHER
                        + " is not a valid governance model; governance models: Gov/Second, " + SMALL_MODEL));
        // a new node without any governance model is refused
        String none = "cv-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(node(none, scripted(), OTHER)).post("/admin/v1/nodes")
                .then().statusCode(400).body("error", is("failed to create node: validation failed: node " + none
                        + " has no governance-valid models (model " + OTHER + " is not a valid governance model; governance models: "
                        + "Gov/Second, " + SMALL_MODEL + ")"));
        given().get("/admin/v1/nodes/" + none).then().statusCode(404);

        // without a chain view the configured supported models apply again
        given().delete("/internal/v1/chain").then().statusCode(200).body(is("true"));
        given().contentType(ContentType.JSON).body(node(id, ml, MODEL)).post("/admin/v1/nodes").then().statusCode(200);
    }

    @Test
    void theEpochAssignmentIsShownAndPreservedNodesServeThroughPoc() {
        ScriptedMlNode preservedMl = scripted();
        ScriptedMlNode pocMl = scripted();
        String preserved = "cv-" + UUID.randomUUID().toString().substring(0, 8);
        String poc = "cv-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(node(preserved, preservedMl, MODEL, SMALL_MODEL)).post("/admin/v1/nodes").then().statusCode(200);
        ids.add(preserved);
        given().contentType(ContentType.JSON).body(node(poc, pocMl, MODEL)).post("/admin/v1/nodes").then().statusCode(200);
        ids.add(poc);
        // the chain assigned the preserved node SMALL_MODEL (not its first model) and preserves it
        view("""
                {"epoch":4,"governance_models":{"%1$s":[],"%2$s":[]},
                 "epoch_models":{"%3$s":{"%2$s":{"id":"%2$s","context_window":32768,"units_of_compute_per_token":100}}},
                 "epoch_ml_nodes":{"%3$s":{"%2$s":{"node_id":"%3$s","poc_weight":6357}}},
                 "preserved_nodes":{"%3$s":["%2$s"]}}""".formatted(MODEL, SMALL_MODEL, preserved));
        given().get("/admin/v1/nodes/" + preserved).then()
                .body("state.epoch_models.'" + SMALL_MODEL + "'.context_window", is(32768))
                .body("state.epoch_ml_nodes.'" + SMALL_MODEL + "'.poc_weight", is(6357))
                .body("state.preserved_models.'" + SMALL_MODEL + "'", is(true)).body("state.preserved_models", aMapWithSize(1));
        given().get("/admin/v1/nodes/" + poc).then().body("state.epoch_models", aMapWithSize(0))
                .body("state.preserved_models", aMapWithSize(0));
        await().atMost(WAIT).untilAsserted(() -> given().get("/admin/v1/nodes/" + preserved).then()
                .body("state.current_status", is("INFERENCE")).body("state.loaded_model", is(SMALL_MODEL)));
        NodeManagerTest.awaitStatus(poc, "INFERENCE");

        // the next epoch's PoC: the other node generates, the preserved one keeps serving
        NodeManagerTest.announce(NodeManagerTest.EPOCH.incrementAndGet(), "GENERATE", 9000);
        await().atMost(WAIT).until(pocMl::generating);
        NodeManagerTest.awaitStatus(poc, "POC");
        assertEquals(0, preservedMl.commands("/api/v1/inference/pow/init/generate").size());
        given().get("/admin/v1/nodes/" + preserved).then().body("state.current_status", is("INFERENCE"));
        given().get("/internal/v1/nodes").then().body("nodes.find { it.id == '" + preserved + "' }.routable", is(true));
    }

    @Test
    void aChainViewIsValidatedWithEveryProblemListed() {
        given().contentType(ContentType.JSON).body("""
                {"epoch":-1,"governance_models":{"m":[1]},"epoch_models":[],"epoch_ml_nodes":{"n":{"m":3}}}""")
                .put("/internal/v1/chain").then().statusCode(400)
                .body("error", startsWith("invalid chain view: epoch must be a non-negative integer; governance_models.m must be a list"))
                .body("error", org.hamcrest.Matchers.containsString("epoch_models must be an object"))
                .body("error", org.hamcrest.Matchers.containsString("epoch_ml_nodes.n must be an object of objects"))
                .body("error", org.hamcrest.Matchers.containsString("preserved_nodes must be an object"));
        given().get("/internal/v1/chain").then().statusCode(404);
    }
}
