package io.gonkanode.sim.poc;

import io.gonkanode.protocol.poc.ArtifactVectors;
import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.sim.CallbackReceiver;
import io.gonkanode.sim.api.PocTestBodies;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class PocFlowTest {

    static final String ESCAPED = "Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8";

    CallbackReceiver receiver;

    @BeforeEach
    void up() {
        receiver = new CallbackReceiver();
        given().contentType(ContentType.JSON).body("{}").put("/sim/v1/faults").then().statusCode(200);
        given().post("/api/v1/stop").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"model\":\"" + PocTestBodies.MODEL + "\"}").post("/api/v1/inference/up")
                .then().statusCode(200).body("status", is("OK"));
    }

    @AfterEach
    void down() {
        given().post("/api/v1/stop").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{}").put("/sim/v1/faults").then().statusCode(200);
        receiver.close();
    }

    private String callbackBase() {
        return receiver.url() + "/v2/poc-batches/" + ESCAPED;
    }

    private List<JsonNode> generatedArtifacts() {
        List<JsonNode> all = new ArrayList<>();
        receiver.accepted("/generated").forEach(r -> r.body().get("artifacts").forEach(all::add));
        return all;
    }

    @Test
    void generationPostsV2BatchesToTheDoubleEscapedUrlItWasGiven() {
        given().contentType(ContentType.JSON).body(PocTestBodies.init(callbackBase()))
                .post("/api/v1/inference/pow/init/generate").then().statusCode(200);
        given().get("/api/v1/state").then().body("poc_status", is("GENERATING"));
        await().atMost(Duration.ofSeconds(20)).until(() -> generatedArtifacts().size() >= 40);
        given().post("/api/v1/inference/pow/stop").then().statusCode(200).body("results[0].status", is("stopped"));

        CallbackReceiver.Received first = receiver.accepted("/generated").get(0);
        assertEquals("/v2/poc-batches/" + ESCAPED + "/generated", first.rawPath());
        assertEquals("application/json", first.contentType());
        JsonNode body = first.body();
        assertEquals(PocTestBodies.HASH, body.get("block_hash").asText());
        assertEquals(1234560, body.get("block_height").asLong());
        assertEquals(PocTestBodies.KEY, body.get("public_key").asText());
        assertEquals(1, body.get("node_id").asInt());
        assertEquals("f16", body.get("encoding").get("dtype").asText());
        assertEquals(12, body.get("encoding").get("k_dim").asInt());
        assertEquals("le", body.get("encoding").get("endian").asText());

        // nonces follow node_id + group_id*node_count + k*n_groups*node_count with 2 backends, node 1 of 3
        Set<Long> nonces = new HashSet<>();
        for (JsonNode a : generatedArtifacts()) {
            long nonce = a.get("nonce").asLong();
            assertTrue(nonces.add(nonce), "nonce " + nonce + " sent twice");
            assertEquals(1, nonce % 3, "nonce " + nonce + " is not node 1's");
            float[] expected = ArtifactVectors.honest(PocTestBodies.HASH, PocTestBodies.KEY, nonce, PocTestBodies.MODEL, 1024);
            float[] got = ArtifactVectors.decode(Base64.getDecoder().decode(a.get("vector_b64").asText()));
            assertTrue(ArtifactVectors.distance(expected, got) < 0.01);
        }
        assertTrue(nonces.contains(1L) && nonces.contains(4L), "both backends contribute: " + nonces);
    }

    @Test
    void aRefusedBatchIsSentAgain() {
        receiver.refuse(2);
        given().contentType(ContentType.JSON).body(PocTestBodies.init(callbackBase()))
                .post("/api/v1/inference/pow/init/generate").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted("/generated").size() >= 2);
        given().post("/api/v1/inference/pow/stop").then().statusCode(200);
        List<CallbackReceiver.Received> refused = receiver.received().stream().filter(r -> r.answeredWith() == 503).toList();
        assertEquals(2, refused.size());
        Set<Long> accepted = new HashSet<>();
        generatedArtifacts().forEach(a -> accepted.add(a.get("nonce").asLong()));
        for (CallbackReceiver.Received r : refused) {
            for (JsonNode a : r.body().get("artifacts")) {
                assertTrue(accepted.contains(a.get("nonce").asLong()), "refused nonce " + a.get("nonce") + " never delivered");
            }
        }
    }

    @Test
    void noCallbacksFaultGeneratesButSendsNothing() {
        given().contentType(ContentType.JSON).body("{\"no_callbacks\":true}").put("/sim/v1/faults").then().statusCode(200);
        given().contentType(ContentType.JSON).body(PocTestBodies.init(callbackBase()))
                .post("/api/v1/inference/pow/init/generate").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/v1/inference/pow/status").then()
                .body("backends[0].stats.total_processed", org.hamcrest.Matchers.greaterThan(50)));
        given().post("/api/v1/inference/pow/stop").then().statusCode(200);
        assertTrue(receiver.received().isEmpty());
    }

    private String validationRequest(List<JsonNode> artifacts) {
        StringBuilder nonces = new StringBuilder();
        StringBuilder claims = new StringBuilder();
        for (JsonNode a : artifacts) {
            nonces.append(nonces.length() == 0 ? "" : ",").append(a.get("nonce").asLong());
            claims.append(claims.length() == 0 ? "" : ",").append(a.toString());
        }
        return """
                {"block_hash":"%s","block_height":1234560,"public_key":"%s","node_id":2,"node_count":3,
                 "nonces":[%s],"params":{"model":"%s","seq_len":1024},"url":"%s",
                 "validation":{"artifacts":[%s]},
                 "stat_test":{"dist_threshold":0.4,"p_mismatch":0.1,"p_value_threshold":0.05}}"""
                .formatted(PocTestBodies.HASH, PocTestBodies.KEY, nonces, PocTestBodies.MODEL, callbackBase(), claims);
    }

    private List<JsonNode> collect(int n) {
        given().contentType(ContentType.JSON).body(PocTestBodies.init(callbackBase()))
                .post("/api/v1/inference/pow/init/generate").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> generatedArtifacts().size() >= n);
        given().post("/api/v1/inference/pow/stop").then().statusCode(200);
        return generatedArtifacts().subList(0, n);
    }

    @Test
    void honestArtifactsPassValidationAndForgedOnesAreFlagged() {
        List<JsonNode> honest = collect(200);
        String requestId = given().contentType(ContentType.JSON).body(validationRequest(honest))
                .post("/api/v1/inference/pow/generate").then().statusCode(200)
                .body("status", is("queued")).body("queued_count", is(200)).extract().path("request_id");
        assertTrue(requestId.matches("\\d+:[0-9a-f-]{36}"), requestId);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted("/validated").size() == 1);
        JsonNode verdict = receiver.accepted("/validated").get(0).body();
        assertEquals("/v2/poc-batches/" + ESCAPED + "/validated", receiver.accepted("/validated").get(0).rawPath());
        assertEquals(200, verdict.get("n_total").asInt());
        assertFalse(verdict.get("fraud_detected").asBoolean(), verdict.toString());
        assertTrue(verdict.get("n_mismatch").asInt() < 31);
        assertEquals(PocTestBodies.KEY, verdict.get("public_key").asText());
        given().get("/api/v1/inference/pow/generate/" + requestId).then().statusCode(200)
                .body("status", is("completed")).body("n_total", is(200)).body("request_id", is(requestId));

        given().contentType(ContentType.JSON).body("{\"cheater\":true}").put("/sim/v1/faults").then().statusCode(200);
        List<JsonNode> forged = new ArrayList<>();
        int before = generatedArtifacts().size();
        given().contentType(ContentType.JSON).body(PocTestBodies.init(callbackBase()))
                .post("/api/v1/inference/pow/init/generate").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> generatedArtifacts().size() >= before + 200);
        given().post("/api/v1/inference/pow/stop").then().statusCode(200);
        forged.addAll(generatedArtifacts().subList(before, before + 200));
        given().contentType(ContentType.JSON).body("{}").put("/sim/v1/faults").then().statusCode(200);
        given().contentType(ContentType.JSON).body(validationRequest(forged))
                .post("/api/v1/inference/pow/generate").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted("/validated").size() == 2);
        JsonNode fraud = receiver.accepted("/validated").get(1).body();
        assertTrue(fraud.get("fraud_detected").asBoolean(), fraud.toString());
        assertTrue(fraud.get("n_mismatch").asInt() > 150);
    }

    @Test
    void validationArtifactsMustMatchTheNonces() {
        given().contentType(ContentType.JSON).body("""
                {"block_hash":"AB","block_height":1,"public_key":"02","node_id":0,"node_count":1,"nonces":[1,2],
                 "params":{"model":"m","seq_len":8},"validation":{"artifacts":[{"nonce":1,"vector_b64":"AA=="}]}}""")
                .post("/api/v1/inference/pow/generate").then().statusCode(400)
                .body("detail", is("validation.artifacts nonces must match nonces field"));
    }

    @Test
    void waitTrueAnswersTheVerdictDirectly() {
        List<JsonNode> honest = collect(20);
        String request = validationRequest(honest).replace("\"url\"", "\"wait\":true,\"url\"");
        given().contentType(ContentType.JSON).body(request).post("/api/v1/inference/pow/generate").then().statusCode(200)
                .body("status", is("completed")).body("n_total", is(20)).body("fraud_detected", is(false));
    }

    @Test
    void unknownJobsAre404AndMalformedIds400() {
        given().get("/api/v1/inference/pow/generate/5001:nope").then().statusCode(404).body("detail", is("Request not found"));
        given().get("/api/v1/inference/pow/generate/nope").then().statusCode(400);
        given().get("/api/v1/inference/pow/generate/x:y").then().statusCode(400).body("detail", is("Invalid port in request_id"));
    }
}
