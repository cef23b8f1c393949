package io.gonkanode.registry;

import io.gonkanode.testing.ScriptedMlNode;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.local.Database;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Two registry replicas on one database: only the advisory-lock holder drives ML nodes, and when it dies
 * the other takes over.
 */
class TwoRegistriesIT {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static Database db;
    static ScriptedMlNode ml;

    @BeforeAll
    static void setUp() {
        db = Database.forTests();
        ml = new ScriptedMlNode();
    }

    @AfterAll
    static void tearDown() {
        ml.close();
        db.close();
    }

    static ServiceProcess registry(String name) {
        return ServiceProcess.builder(name, JAR)
                .env(db.environment())
                .env("GONKA_MANAGER_INSTANCE_ID", name)
                .env("GONKA_MANAGER_POLL_INTERVAL", "300ms")
                .env("ACCOUNT_PUBKEY", Base64.getEncoder().encodeToString(HexFormat.of().parseHex("03" + "11".repeat(32))))
                .env("DAPI_API__POC_CALLBACK_URL", "http://127.0.0.1:9100")
                .build().start(Duration.ofSeconds(60));
    }

    static boolean leads(ServiceProcess registry) {
        return given().baseUri(registry.url()).get("/internal/v1/manager").then().extract().path("leader");
    }

    static Set<String> senders() {
        return ml.commands().stream().map(ScriptedMlNode.Request::userAgent).collect(Collectors.toSet());
    }

    @Test
    void onlyOneReplicaDrivesNodesAndTheOtherTakesOverWhenItDies() {
        ServiceProcess a = registry("registry-a");
        ServiceProcess b = registry("registry-b");
        try {
            given().baseUri(b.url()).contentType(ContentType.JSON).body("""
                    {"id":"shared","host":"127.0.0.1","inference_port":%d,"poc_port":%d,"max_concurrent":4,
                     "models":{"%s":{"args":[]}}}""".formatted(ml.inferencePort(), ml.managementPort(), MODEL))
                    .post("/admin/v1/nodes").then().statusCode(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(a.url())
                    .get("/admin/v1/nodes/shared").then().body("state.current_status", is("INFERENCE")));
            assertNotEquals(leads(a), leads(b), "exactly one leader");
            ServiceProcess leader = leads(a) ? a : b;
            ServiceProcess standby = leader == a ? b : a;
            String leaderName = leader == a ? "registry-a" : "registry-b";
            assertEquals(Set.of("gonka-node-registry/" + leaderName), senders());

            leader.kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> leads(standby));
            ml.clear();
            given().baseUri(standby.url()).contentType(ContentType.JSON).body("""
                    {"epoch":3,"phase":"GENERATE","poc_start_block_height":900,"block_hash":"ABCD","models":{"%s":{"seq_len":64}}}"""
                    .formatted(MODEL)).put("/internal/v1/round").then().statusCode(200);
            await().atMost(Duration.ofSeconds(30)).until(ml::generating);
            String standbyName = standby == a ? "registry-a" : "registry-b";
            assertEquals(Set.of("gonka-node-registry/" + standbyName), senders());
        } finally {
            a.stop();
            b.stop();
        }
    }
}
