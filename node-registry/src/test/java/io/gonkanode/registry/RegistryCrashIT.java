package io.gonkanode.registry;

import io.gonkanode.testing.Http;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.testing.Sims;
import io.gonkanode.local.Database;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * kill -9 of the packaged registry while its node manager is bringing simulated ML nodes up (each
 * inference/up takes seconds) and an operator is registering more: after the restart every registration
 * that got a 200 is there, no node_num is used twice, and the loop resumes until every node serves.
 */
class RegistryCrashIT {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final int NODES = 6;

    static String registration(Sims.Sim s) {
        return """
                {"id":"%s","host":"127.0.0.1","inference_port":%d,"poc_port":%d,"max_concurrent":4,
                 "models":{"%s":{"args":[]}}}""".formatted(s.id(), s.inferencePort(), s.managementPort(), MODEL);
    }

    @Test
    void noRegistrationIsLostNoNodeNumRepeatsAndTheNodesConverge() throws Exception {
        List<Sims.Sim> sims = new ArrayList<>();
        try (Database db = Database.forTests()) {
            for (int i = 0; i < NODES; i++) {
                sims.add(Sims.start("crash-" + i, Map.of("SIM_MODELS", MODEL, "SIM_INFERENCE_UP_DELAY", "4s")));
            }
            ServiceProcess registry = ServiceProcess.builder("node-registry", Path.of("target", "quarkus-app", "quarkus-run.jar"))
                    .env(db.environment())
                    .env("GONKA_MANAGER_POLL_INTERVAL", "300ms")
                    .env("GONKA_MANAGER_RETRY_BACKOFF", "300ms")
                    .env("GONKA_SUPPORTED_MODELS", "{\"" + MODEL + "\":{\"args\":[]}}")
                    .build().start(Duration.ofSeconds(60));

            // the operator registers every node, retrying whatever did not get a 200 (as a script would)
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Thread operator = new Thread(() -> {
                long deadline = System.currentTimeMillis() + 120_000;
                while (acknowledged.size() < NODES && System.currentTimeMillis() < deadline) {
                    for (Sims.Sim s : sims) {
                        if (!acknowledged.contains(s.id()) && Http.postJson(registry.url() + "/admin/v1/nodes", registration(s)) == 200) {
                            acknowledged.add(s.id());
                        }
                    }
                }
            });
            operator.start();
            // kill it while inference/up is in flight on some node
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 2 && sims.stream().anyMatch(s ->
                    "in_progress".equals(given().baseUri("http://127.0.0.1:" + s.managementPort()).get("/api/v1/inference/up/status")
                            .then().extract().path("status"))));
            registry.kill();
            registry.start(Duration.ofSeconds(60));
            operator.join(150_000);
            assertEquals(NODES, acknowledged.size(), "the operator's script got through");

            for (Sims.Sim s : sims) {
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().baseUri(registry.url()).get("/admin/v1/nodes/" + s.id())
                        .then().statusCode(200).body("state.current_status", is("INFERENCE")));
            }
            try (Connection c = db.connect();
                 ResultSet rs = c.createStatement().executeQuery("select count(*), count(distinct node_num) from registry.node")) {
                rs.next();
                assertEquals(NODES, rs.getInt(1), "every acknowledged registration is there, and nothing else");
                assertEquals(NODES, rs.getInt(2), "no node_num twice");
            }
            given().baseUri(registry.url()).contentType(ContentType.JSON).get("/internal/v1/manager").then().statusCode(200)
                    .body("leader", is(true));
            registry.stop();
        } finally {
            sims.forEach(s -> s.process().stop());
        }
    }
}
