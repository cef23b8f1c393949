package io.gonkanode.sim.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@QuarkusTest
class ManagementApiTest {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final String UP = "{\"model\":\"" + MODEL + "\",\"dtype\":\"auto\",\"additional_args\":[\"--tensor-parallel-size\",\"4\"]}";

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    @AfterEach
    void reset() {
        given().contentType(ContentType.JSON).body("{}").put("/sim/v1/faults").then().statusCode(200);
        given().post("/api/v1/stop").then().statusCode(200);
    }

    /** POST without any Content-Type, as the Go network node sends it. */
    HttpResponse<String> rawPost(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    int inferencePort() {
        return given().get("/sim/v1/info").then().extract().path("inference_port");
    }

    void up() throws Exception {
        HttpResponse<String> r = rawPost("/api/v1/inference/up", UP);
        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"OK\"}", r.body());
    }

    @Test
    void aFreshNodeIsStoppedWithNullInferenceFields() {
        given().get("/api/v1/state").then().statusCode(200)
                .body("version", is("3.0.14")).body("state", is("STOPPED"))
                .body("poc_status", nullValue()).body("inference_healthy", nullValue()).body("loaded_model", nullValue())
                .body("poc_validation_inference", is(false));
    }

    @Test
    void inferenceUpWithoutContentTypeBringsTheModelUpAndThePortListening() throws Exception {
        up();
        given().get("/api/v1/state").then()
                .body("state", is("INFERENCE")).body("poc_status", is("IDLE"))
                .body("inference_healthy", is(true)).body("loaded_model", is(MODEL));
        given().baseUri("http://127.0.0.1").port(inferencePort()).get("/health").then().statusCode(200);
        given().baseUri("http://127.0.0.1").port(inferencePort()).get("/v1/models").then().statusCode(200)
                .body("data.id", contains(MODEL));
        given().get("/api/v1/inference/up/status").then()
                .body("status", is("completed")).body("is_running", is(true)).body("is_starting", is(false))
                .body("elapsed_seconds", notNullValue()).body("error", nullValue());
    }

    @Test
    void theKnownVersionPrefixIsStrippedAsTheGuidesNginxDoesAndOthersAre404() throws Exception {
        given().get("/v3.0.8/api/v1/state").then().statusCode(200).body("state", is("STOPPED"));
        given().get("/v3.0.9/api/v1/state").then().statusCode(404);
        up();
        given().baseUri("http://127.0.0.1").port(inferencePort()).get("/v3.0.8/v1/models").then().statusCode(200)
                .body("data.id", contains(MODEL));
        given().baseUri("http://127.0.0.1").port(inferencePort()).get("/v3.0.9/v1/models").then().statusCode(404);
    }

    @Test
    void inferenceUpWhileRunningIs409() throws Exception {
        up();
        given().contentType(ContentType.JSON).body(UP).post("/api/v1/inference/up").then().statusCode(409)
                .body("detail", is("VLLM is already running. Use /inference/down to stop it first."));
    }

    @Test
    void asyncUpReportsProgressAndASecondUpIs409() {
        given().contentType(ContentType.JSON).body(UP).post("/api/v1/inference/up/async").then().statusCode(200)
                .body("status", is("starting")).body("message", is("Inference startup initiated in background"));
        given().contentType(ContentType.JSON).body(UP).post("/api/v1/inference/up").then().statusCode(409)
                .body("detail", is("VLLM startup is already in progress. Use /inference/up/status to check status."));
        given().get("/api/v1/inference/up/status").then().body("status", is("in_progress")).body("is_starting", is(true));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                given().get("/api/v1/inference/up/status").then().body("status", is("completed")));
    }

    @Test
    void aFailingUpAnswers200WithStatusErrorAndStaysStopped() throws Exception {
        given().contentType(ContentType.JSON).body("{\"inference_up_fails\":true}").put("/sim/v1/faults").then().statusCode(200);
        HttpResponse<String> r = rawPost("/api/v1/inference/up", UP);
        assertEquals(200, r.statusCode());
        given().get("/api/v1/state").then().body("state", is("STOPPED"));
        given().get("/api/v1/inference/up/status").then().body("status", is("failed")).body("error", startsWith("vLLM failed to start"));
        org.junit.jupiter.api.Assertions.assertTrue(r.body().startsWith("{\"status\":\"ERROR\",\"message\":\"vLLM failed to start"), r.body());
    }

    @Test
    void aModelTheNodeCannotServeFailsToComeUp() throws Exception {
        HttpResponse<String> r = rawPost("/api/v1/inference/up", "{\"model\":\"other/model\"}");
        assertEquals(200, r.statusCode());
        org.junit.jupiter.api.Assertions.assertTrue(r.body().contains("\"status\":\"ERROR\""), r.body());
    }

    @Test
    void inferenceUpValidatesLikeFastApi() throws Exception {
        HttpResponse<String> r = rawPost("/api/v1/inference/up", "{\"dtype\":\"auto\"}");
        assertEquals(422, r.statusCode());
        assertEquals("{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"model\"],\"msg\":\"Field required\",\"input\":{\"dtype\":\"auto\"}}]}", r.body());
        given().body("{not json").post("/api/v1/inference/up").then().statusCode(422).body("detail[0].type", is("json_invalid"));
        given().post("/api/v1/inference/up").then().statusCode(422).body("detail[0].type", is("missing"));
    }

    @Test
    void stopAndDownTakeInferenceAwayAndThePortStopsListening() throws Exception {
        up();
        int port = inferencePort();
        given().post("/api/v1/inference/down").then().statusCode(200).body("status", is("OK"));
        given().get("/api/v1/state").then().body("state", is("STOPPED"));
        assertThrows(ConnectException.class, () -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.discarding()));
        up();
        assertEquals(port, inferencePort());
        given().post("/api/v1/stop").then().statusCode(200).body("status", is("OK"));
        given().get("/api/v1/state").then().body("state", is("STOPPED"));
    }

    @Test
    void pocWithoutBackendsIs503AndStatusSaysNoBackends() {
        given().contentType(ContentType.JSON).body(PocTestBodies.init("http://127.0.0.1:1/cb")).post("/api/v1/inference/pow/init/generate")
                .then().statusCode(503).body("detail", is("No vLLM backends available"));
        given().get("/api/v1/inference/pow/status").then().statusCode(200).body("status", is("NO_BACKENDS")).body("backends", hasSize(0));
        given().post("/api/v1/inference/pow/stop").then().statusCode(200).body("message", is("No backends to stop"));
    }

    @Test
    void pocParamsRejectUnknownKeysWith422() throws Exception {
        up();
        HttpResponse<String> r = rawPost("/api/v1/inference/pow/init/generate", """
                {"block_hash":"AB","block_height":1,"public_key":"02","node_id":0,"node_count":1,
                 "params":{"model":"%s","seq_len":1024,"batch_size":32}}""".formatted(MODEL));
        assertEquals(422, r.statusCode());
        assertEquals("{\"detail\":[{\"type\":\"extra_forbidden\",\"loc\":[\"body\",\"params\",\"batch_size\"],"
                + "\"msg\":\"Extra inputs are not permitted\",\"input\":32}]}", r.body());
        given().contentType(ContentType.JSON).body("{\"block_hash\":\"AB\",\"block_height\":\"x\",\"public_key\":\"02\",\"node_id\":0,"
                        + "\"node_count\":1,\"params\":{\"model\":\"m\"}}")
                .post("/api/v1/inference/pow/init/generate").then().statusCode(422)
                .body("detail.type", contains("int_parsing", "missing"))
                .body("detail[1].loc", contains("body", "params", "seq_len"));
    }

    @Test
    void aSecondInitGenerateFailsOnEveryBackend() throws Exception {
        up();
        given().contentType(ContentType.JSON).body(PocTestBodies.init(null)).post("/api/v1/inference/pow/init/generate")
                .then().statusCode(200).body("backends", is(2)).body("n_groups", is(2));
        given().contentType(ContentType.JSON).body(PocTestBodies.init(null)).post("/api/v1/inference/pow/init/generate")
                .then().statusCode(502).body("detail.errors", hasSize(2))
                .body("detail.errors[0].error", is("{\"detail\":\"Already generating\"}"));
    }

    @Test
    void gpuAndHealthRoutesAnswerInTheRealShapes() {
        given().get("/api/v1/gpu/devices").then().statusCode(200).body("count", is(8))
                .body("devices[0].name", is("NVIDIA H100 80GB HBM3")).body("devices[0].is_available", is(true));
        given().get("/api/v1/gpu/driver").then().statusCode(200).body("driver_version", notNullValue());
        given().get("/health").then().statusCode(200).body("status", is("healthy")).body("service_state", is("STOPPED"));
        given().get("/livez").then().statusCode(200);
        given().get("/readyz").then().statusCode(200).body("ready", is(true));
        given().get("/api/v1/versions").then().statusCode(200).body("version", is("3.0.14"));
    }

    @Test
    void theSlowStateFaultDelaysState() {
        given().contentType(ContentType.JSON).body("{\"state_delay_ms\":600}").put("/sim/v1/faults").then().statusCode(200);
        long start = System.nanoTime();
        given().get("/api/v1/state").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertTrue((System.nanoTime() - start) / 1_000_000 >= 600);
    }

    @Test
    void unknownRoutesAnswerLikeStarlette() {
        given().get("/api/v1/nope").then().statusCode(404).body("detail", is("Not Found"));
    }
}
