package io.gonkanode.sim.node;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIM_NODES=3: one process, three ML nodes, each with its own port, state, faults and inference server. */
@QuarkusTest
@TestProfile(MultiNodeTest.ThreeNodes.class)
class MultiNodeTest {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    public static class ThreeNodes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sim.nodes", "3", "sim.node-port-base", "0");
        }
    }

    @AfterEach
    void reset() {
        for (int port : managementPorts()) {
            node(port).contentType(ContentType.JSON).body("{}").put("/sim/v1/faults").then().statusCode(200);
            node(port).post("/api/v1/stop").then().statusCode(200);
        }
    }

    static RequestSpecification node(int port) {
        return given().baseUri("http://127.0.0.1").port(port);
    }

    /** The management ports of nodes 0, 1 and 2, as GET /sim/v1/nodes lists them on any node. */
    static List<Integer> managementPorts() {
        return given().get("/sim/v1/nodes").then().statusCode(200).extract().jsonPath().getList("management_port", Integer.class);
    }

    @Test
    void everyNodeListensOnAPortOfItsOwnAndKnowsWhichItIs() {
        List<Integer> ports = managementPorts();
        assertEquals(3, ports.size());
        assertEquals(3, new HashSet<>(ports).size(), "distinct ports: " + ports);
        for (int i = 0; i < 3; i++) {
            node(ports.get(i)).get("/sim/v1/info").then().statusCode(200).body("node", is(i)).body("management_port", is(ports.get(i)));
            // the guide's nginx version prefix and the FastAPI 404 are the same on every node
            node(ports.get(i)).get("/v3.0.8/api/v1/state").then().statusCode(200).body("state", is("STOPPED"));
            node(ports.get(i)).get("/api/v1/nope").then().statusCode(404).body("detail", is("Not Found"));
        }
    }

    @Test
    void bringingOneNodeUpLeavesTheOthersStopped() {
        List<Integer> ports = managementPorts();
        node(ports.get(2)).contentType(ContentType.JSON).body("{\"model\":\"" + MODEL + "\"}").post("/api/v1/inference/up")
                .then().statusCode(200).body("status", is("OK"));

        node(ports.get(2)).get("/api/v1/state").then().body("state", is("INFERENCE")).body("loaded_model", is(MODEL));
        node(ports.get(0)).get("/api/v1/state").then().body("state", is("STOPPED"));
        node(ports.get(1)).get("/api/v1/state").then().body("state", is("STOPPED"));
        // /v1/* on the management port reaches that node's vLLM only
        node(ports.get(2)).get("/v1/models").then().statusCode(200).body("data.id", contains(MODEL));
        node(ports.get(1)).get("/v1/models").then().statusCode(503);

        List<Map<String, Object>> listed = given().get("/sim/v1/nodes").then().extract().jsonPath().getList("$");
        int inferencePort = (Integer) listed.get(2).get("inference_port");
        assertEquals(true, listed.get(2).get("inference_listening"));
        assertEquals(false, listed.get(1).get("inference_listening"));
        node(inferencePort).get("/v1/models").then().statusCode(200).body("data.id", contains(MODEL));
        assertTrue(inferencePort != (Integer) listed.get(1).get("inference_port"), "inference ports are distinct");
    }

    @Test
    void faultsAreInjectedIntoOneNode() {
        List<Integer> ports = managementPorts();
        node(ports.get(1)).contentType(ContentType.JSON).body("{\"inference_up_fails\":true}").put("/sim/v1/faults")
                .then().statusCode(200);

        node(ports.get(1)).contentType(ContentType.JSON).body("{\"model\":\"" + MODEL + "\"}").post("/api/v1/inference/up")
                .then().statusCode(200).body("status", is("ERROR"));
        node(ports.get(0)).contentType(ContentType.JSON).body("{\"model\":\"" + MODEL + "\"}").post("/api/v1/inference/up")
                .then().statusCode(200).body("status", is("OK"));
        node(ports.get(0)).get("/sim/v1/faults").then().body("inference_up_fails", is(false));
        node(ports.get(1)).get("/api/v1/state").then().body("state", is("STOPPED"));
    }
}
