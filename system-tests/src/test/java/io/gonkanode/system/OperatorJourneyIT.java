package io.gonkanode.system;

import io.gonkanode.local.LocalStack;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.local.StackOptions;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole network node from its packaged jars (the same code as {@code deploy/local/up}), driven only
 * through public HTTP the way an operator does: register nodes with the guide's call, chat, watch a PoC
 * round on chain-sim give weights, disable and delete nodes, restart services and find everything intact.
 */
class OperatorJourneyIT {

    static final String MODEL = LocalStack.MODEL;
    /** chain-sim's governance weight_scale_factor for the model (its genesis PoC params). */
    static final double SCALE = 0.449;
    /** From registration to the chain's participants of the next epoch: at most two fast epochs of 1 s blocks. */
    static final Duration ROUND = Duration.ofSeconds(300);
    static LocalStack stack;
    static String admin;
    static String api;


    @BeforeAll
    static void up() throws IOException {
        StackOptions o = TestStacks.options("system");
        o.registerSims = false;
        o.mlnodes = 2;
        // the chain waits while the operator registers the nodes, so they take part in the first PoC
        o.holdChain = true;
        o.env("registry", "GONKA_MANAGER_POLL_INTERVAL", "1s")
                .env("mlnode", "SIM_CALLBACK_INTERVAL", "1s")
                .env("mlnode", "SIM_INFERENCE_UP_DELAY", "300ms")
                .env("mlnode", "SIM_TIME_TO_FIRST_TOKEN", "20ms");
        stack = new LocalStack(o).start();
        admin = stack.registry().url();
        api = stack.api().url();
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.close();
        }
    }

    /** The guide's register call (multiple-nodes.md "Adding (Registering) Inference Nodes"), filled in. */
    static void register(String id, int inferencePort, int pocPort) {
        given().baseUri(admin).header("Content-Type", "application/json").body("""
                {
                  "id": "%s",
                  "host": "127.0.0.1",
                  "inference_port": %d,
                  "poc_port": %d,
                  "max_concurrent": 8,
                  "models": {
                    "%s": {
                      "args": [
                      ]
                    }
                  }
                }""".formatted(id, inferencePort, pocPort, MODEL)).post("/admin/v1/nodes").then().statusCode(200);
    }

    static int inferencePort(ServiceProcess sim) {
        return given().baseUri(sim.url()).get("/sim/v1/info").then().extract().path("inference_port");
    }

    static int started(ServiceProcess sim) {
        return given().baseUri(sim.url()).get("/sim/v1/stats").then().extract().path("started");
    }

    static String chat(boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"max_tokens\":4"
                + (stream ? ",\"stream\":true" : "") + "}";
    }

    @Test
    void anOperatorsDay() {
        List<ServiceProcess> sims = stack.sims();
        register("gpu-1", inferencePort(sims.get(0)), sims.get(0).port());
        register("gpu-2", inferencePort(sims.get(1)), sims.get(1).port());
        stack.resumeChain();
        long target = latestEpoch() + 1;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(admin).get("/admin/v1/nodes").then()
                .body("findAll { it.state.current_status == 'INFERENCE' }.size()", is(2)));

        // a whole PoC round on chain-sim: the chain weighs this host by the count it committed, x scale, shared out per node
        String me = given().baseUri(admin).get("/admin/v1/chain/status").then().statusCode(200).extract().path("account");
        String host = "active_participants.participants.find { it.index == '" + me + "' }";
        await().atMost(ROUND).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> given().baseUri(api)
                .get("/v1/epochs/" + target + "/participants").then().statusCode(200).body(host + ".weight", greaterThan(0)));
        JsonPath participants = given().baseUri(api).get("/v1/epochs/" + target + "/participants").then().extract().jsonPath();
        JsonPath onChain = given().baseUri(admin).get("/admin/v1/chain/host").then().statusCode(200).extract().jsonPath();
        long included = onChain.getLong("epochs.find { it.epoch_index == " + target + " }.commits[0].included_count");
        long weight = participants.getLong(host + ".weight");
        assertEquals((long) Math.floor(included * SCALE), weight, "the included count x weight_scale_factor");
        long sum = 0;
        for (String node : new String[] {"gpu-1", "gpu-2"}) {
            long nodeWeight = participants.getLong(host + ".ml_nodes[0].ml_nodes.find { it.node_id == '" + node + "' }.poc_weight");
            assertTrue(nodeWeight > 0, node + " earned weight: " + participants.prettify());
            sum += nodeWeight;
        }
        assertTrue(sum <= weight && weight - sum < 2, "the nodes share the host's weight (rounded down each): " + sum + " of " + weight);

        // chat, plain and streamed: the nodes serve the epoch they earned weight in (a node registered during an
        // epoch is operational from the next one, upstream's rule)
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().baseUri(api).header("Content-Type", "application/json")
                .body(chat(false)).post("/v1/chat/completions").then().statusCode(200).body("usage.completion_tokens", is(4)));
        String streamed = given().baseUri(api).header("Content-Type", "application/json").body(chat(true))
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        assertTrue(streamed.startsWith("data: {") && streamed.endsWith("data: [DONE]\n\n"), streamed);

        // disable gpu-2: it leaves routing
        given().baseUri(admin).post("/admin/v1/nodes/gpu-2/disable").then().statusCode(200)
                .body("message", is("node disabled successfully"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            int before = started(sims.get(1));
            for (int i = 0; i < 8; i++) {
                given().baseUri(api).header("Content-Type", "application/json").body(chat(false)).post("/v1/chat/completions")
                        .then().statusCode(200);
            }
            return started(sims.get(1)) == before;
        });

        // delete a node: the bare true
        register("spare", TestStacks.freePort(), TestStacks.freePort());
        assertEquals("true", given().baseUri(admin).header("Content-Type", "application/json")
                .delete("/admin/v1/nodes/spare").then().statusCode(200).extract().asString());

        // restart registry and collector: every node, node_num, admin state, epoch and weight intact
        Map<String, Integer> nums = new HashMap<>();
        JsonPath before = given().baseUri(admin).get("/admin/v1/nodes").then().extract().jsonPath();
        for (String id : new String[] {"gpu-1", "gpu-2"}) {
            nums.put(id, before.getInt("find { it.node.id == '" + id + "' }.node.node_num"));
        }
        long epochBefore = latestEpoch();
        String participantsBefore = given().baseUri(api).get("/v1/epochs/" + target + "/participants").then().extract().asString();
        stack.registry().stop();
        stack.collector().stop();
        stack.registry().start().awaitReady(Duration.ofSeconds(120));
        stack.collector().start().awaitReady(Duration.ofSeconds(120));
        JsonPath after = given().baseUri(admin).get("/admin/v1/nodes").then().statusCode(200).extract().jsonPath();
        assertEquals(2, after.getList("$").size(), "spare stays deleted, both nodes are back");
        for (String id : nums.keySet()) {
            assertEquals(nums.get(id), after.getInt("find { it.node.id == '" + id + "' }.node.node_num"), id);
        }
        assertEquals(false, after.getBoolean("find { it.node.id == 'gpu-2' }.state.admin_state.enabled"));
        assertEquals(true, after.getBoolean("find { it.node.id == 'gpu-1' }.state.admin_state.enabled"));
        long epochAfter = latestEpoch();
        assertTrue(epochAfter >= epochBefore, "the chain went on: " + epochBefore + " -> " + epochAfter);
        assertEquals(participantsBefore, given().baseUri(api).get("/v1/epochs/" + target + "/participants").then()
                .statusCode(200).extract().asString());
    }

    /** The latest epoch index (upstream leaves index 0 out, as proto JSON does). */
    static long latestEpoch() {
        Integer index = given().baseUri(api).get("/v1/epochs/latest").then().statusCode(200).extract().path("latest_epoch.index");
        return index == null ? 0 : index;
    }
}
