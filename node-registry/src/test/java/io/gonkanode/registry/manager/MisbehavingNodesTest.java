package io.gonkanode.registry.manager;

import io.gonkanode.testing.BadMlNode;
import io.gonkanode.testing.PostgresTestResource;
import io.gonkanode.testing.ScriptedMlNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.gonkanode.registry.manager.ManagerProfile.MODEL;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ML nodes that hang, answer garbage or point elsewhere: each is marked FAILED with a reason that says
 * what went wrong, none holds up the healthy node beside it, and a redirect is never followed.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(ManagerProfile.class)
class MisbehavingNodesTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    static String register(String id, int managementPort, int inferencePort) {
        given().contentType(ContentType.JSON).body("""
                {"id":"%s","host":"127.0.0.1","inference_port":%d,"poc_port":%d,"max_concurrent":4,
                 "models":{"%s":{"args":[]}}}""".formatted(id, inferencePort, managementPort, MODEL))
                .post("/admin/v1/nodes").then().statusCode(200);
        return id;
    }

    @Test
    void eachIsFailedWithItsReasonAndTheHealthyNodeIsNotHeldUp() {
        try (BadMlNode trap = new BadMlNode(BadMlNode.Mode.SILENT);
             BadMlNode silent = new BadMlNode(BadMlNode.Mode.SILENT);
             BadMlNode bytes = new BadMlNode(BadMlNode.Mode.GARBAGE_BYTES);
             BadMlNode json = new BadMlNode(BadMlNode.Mode.GARBAGE_JSON);
             BadMlNode redirect = new BadMlNode(BadMlNode.Mode.REDIRECT).redirectTo(trap.url() + "/api/v1/state");
             BadMlNode trickle = new BadMlNode(BadMlNode.Mode.TRICKLE);
             ScriptedMlNode healthy = new ScriptedMlNode()) {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put(register("bad-silent", silent.managementPort(), silent.inferencePort()), "no answer in time");
            expected.put(register("bad-bytes", bytes.managementPort(), bytes.inferencePort()), "not an HTTP answer");
            expected.put(register("bad-json", json.managementPort(), json.inferencePort()), "with a body that is not JSON: {\"state\": INFERENCE, <html>");
            expected.put(register("bad-redirect", redirect.managementPort(), redirect.inferencePort()), "answered 307, a redirect (never followed");
            // never silent long enough for the idle timeout: the poll's own deadline ends it
            expected.put(register("bad-trickle", trickle.managementPort(), trickle.inferencePort()), "no answer in time");
            String good = register("good", healthy.managementPort(), healthy.inferencePort());

            await().atMost(WAIT).untilAsserted(() ->
                    given().get("/admin/v1/nodes/" + good).then().body("state.current_status", is("INFERENCE")));
            for (Map.Entry<String, String> e : expected.entrySet()) {
                await().atMost(WAIT).untilAsserted(() -> {
                    String reason = given().get("/admin/v1/nodes/" + e.getKey()).then()
                            .body("state.current_status", is("FAILED")).extract().path("state.failure_reason");
                    assertTrue(reason.contains(e.getValue()), e.getKey() + ": " + reason);
                });
                given().get("/internal/v1/nodes").then().body("nodes.find { it.id == '" + e.getKey() + "' }.routable", is(false));
            }
            assertTrue(redirect.connections() > 0, "the redirecting node was polled");
            assertEquals(0, trap.connections(), "a redirect is never followed: " + trap.requestLines());
            for (String id : expected.keySet()) {
                given().delete("/admin/v1/nodes/" + id).then().statusCode(200);
            }
            given().delete("/admin/v1/nodes/" + good).then().statusCode(200);
        }
    }
}
