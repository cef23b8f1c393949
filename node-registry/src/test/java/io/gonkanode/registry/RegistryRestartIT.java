package io.gonkanode.registry;

import io.gonkanode.local.ServiceProcess;
import io.gonkanode.local.Database;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * The packaged registry as an operator runs it ({@code java -jar}), stopped and started again against the
 * same PostgreSQL: nothing an operator did may be lost, and node-config.json is only re-applied when edited.
 */
class RegistryRestartIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    static Database db;
    static Path nodeConfig;

    @BeforeAll
    static void database() throws Exception {
        db = Database.forTests();
        nodeConfig = Files.createTempFile("node-config", ".json");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        db.close();
        Files.deleteIfExists(nodeConfig);
    }

    private static String node(String id, String host, int maxConcurrent) {
        return """
                {"id":"%s","host":"%s","inference_port":5050,"poc_port":8080,"max_concurrent":%d,
                 "models":{"%s":{"args":["--tensor-parallel-size","4"]}}}""".formatted(id, host, maxConcurrent, MODEL);
    }

    private static ServiceProcess registry() {
        return ServiceProcess.builder("node-registry", JAR)
                .env(db.environment())
                .env("NODE_CONFIG_PATH", nodeConfig.toString())
                // these nodes exist only on paper: nothing may try to reach them
                .env("GONKA_MANAGER_ENABLED", "false")
                .build()
                .start(Duration.ofSeconds(60));
    }

    @Test
    void everythingAnOperatorDidSurvivesRestartsAndTheFileIsOnlyReappliedWhenEdited() throws Exception {
        Files.writeString(nodeConfig, "[" + node("from-file", "10.1.0.1", 500) + "]");
        ServiceProcess registry = registry();
        try {
            given().baseUri(registry.url()).get("/admin/v1/nodes/from-file").then().statusCode(200)
                    .body("node.max_concurrent", is(500)).body("node.node_num", is(1));
            given().baseUri(registry.url()).contentType(ContentType.JSON).body(node("api-1", "10.1.0.2", 100))
                    .post("/admin/v1/nodes").then().statusCode(200).body("node_num", is(2));
            given().baseUri(registry.url()).contentType(ContentType.JSON).body(node("api-2", "10.1.0.3", 100))
                    .post("/admin/v1/nodes").then().statusCode(200).body("node_num", is(3));
            given().baseUri(registry.url()).post("/admin/v1/nodes/api-1/disable").then().statusCode(200);
            given().baseUri(registry.url()).contentType(ContentType.JSON).body(node("from-file", "10.1.0.1", 640))
                    .post("/admin/v1/nodes").then().statusCode(200);
            given().baseUri(registry.url()).delete("/admin/v1/nodes/api-2").then().statusCode(200);
        } finally {
            registry.kill();
        }

        registry = registry();
        try {
            given().baseUri(registry.url()).get("/admin/v1/nodes").then().statusCode(200).body("$", hasSize(2));
            given().baseUri(registry.url()).get("/admin/v1/nodes/from-file").then()
                    .body("node.max_concurrent", is(640)).body("node.node_num", is(1));
            given().baseUri(registry.url()).get("/admin/v1/nodes/api-1").then()
                    .body("node.node_num", is(2)).body("state.admin_state.enabled", is(false));
            given().baseUri(registry.url()).contentType(ContentType.JSON).body(node("api-3", "10.1.0.4", 100))
                    .post("/admin/v1/nodes").then().statusCode(200).body("node_num", is(4));
        } finally {
            registry.stop();
        }

        Files.writeString(nodeConfig, "[" + node("from-file", "10.1.0.1", 720) + "]");
        registry = registry();
        try {
            given().baseUri(registry.url()).get("/admin/v1/nodes/from-file").then()
                    .body("node.max_concurrent", is(720)).body("node.node_num", is(1));
        } finally {
            registry.stop();
        }
    }
}
