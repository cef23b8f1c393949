package io.gonkanode.sim.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class InferenceApiTest {

    static final String MODEL = PocTestBodies.MODEL;

    int port;

    @BeforeEach
    void up() {
        given().contentType(ContentType.JSON).body("{}").put("/sim/v1/faults").then().statusCode(200);
        given().post("/api/v1/stop").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"model\":\"" + MODEL + "\"}").post("/api/v1/inference/up")
                .then().statusCode(200).body("status", is("OK"));
        port = given().get("/sim/v1/info").then().extract().path("inference_port");
        given().post("/sim/v1/stats/reset").then().statusCode(200);
    }

    @AfterEach
    void down() {
        given().contentType(ContentType.JSON).body("{}").put("/sim/v1/faults").then().statusCode(200);
        given().post("/api/v1/stop").then().statusCode(200);
    }

    RequestSpecification inference() {
        return given().baseUri("http://127.0.0.1").port(port).contentType(ContentType.JSON);
    }

    static String chat(String extra) {
        return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"What is PoC?\"}]" + extra + "}";
    }

    @Test
    void aChatCompletionHonoursMaxTokensAndReportsUsage() {
        inference().body(chat(",\"max_tokens\":3")).post("/v1/chat/completions").then().statusCode(200)
                .contentType("application/json")
                .body("object", is("chat.completion"))
                .body("model", is(MODEL))
                .body("choices[0].message.role", is("assistant"))
                .body("choices[0].finish_reason", is("length"))
                .body("usage.completion_tokens", is(3));
        inference().body(chat("")).post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].finish_reason", is("stop"))
                .body("usage.completion_tokens", is(16));
    }

    @Test
    void theSameSeedGivesTheSameAnswer() {
        String a = inference().body(chat(",\"seed\":7")).post("/v1/chat/completions").then().extract().path("choices[0].message.content");
        String b = inference().body(chat(",\"seed\":7")).post("/v1/chat/completions").then().extract().path("choices[0].message.content");
        String c = inference().body(chat(",\"seed\":8")).post("/v1/chat/completions").then().extract().path("choices[0].message.content");
        assertEquals(a, b);
        assertTrue(!a.equals(c));
    }

    @Test
    void logprobsCarryDecimalTokenIdsAndAtLeastFiveAlternatives() {
        inference().body(chat(",\"max_tokens\":4,\"logprobs\":true,\"top_logprobs\":5")).post("/v1/chat/completions").then()
                .statusCode(200)
                .body("choices[0].logprobs.content", hasSize(4))
                .body("choices[0].logprobs.content.token", everyItem(matchesPattern("\\d+")))
                .body("choices[0].logprobs.content[0].top_logprobs", hasSize(greaterThanOrEqualTo(5)))
                .body("choices[0].logprobs.content[0].top_logprobs.token", everyItem(matchesPattern("\\d+")));
    }

    @Test
    void enforcedTokensAreEmittedExactly() {
        inference().body(chat(",\"logprobs\":true,\"enforced_tokens\":{\"tokens\":[{\"token\":\"1234\",\"top_tokens\":[]},{\"token\":\"99\",\"top_tokens\":[]}]}"))
                .post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].logprobs.content.token", org.hamcrest.Matchers.contains("1234", "99"));
    }

    @Test
    void streamingSendsSseChunksAUsageChunkAndDone() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chat(",\"stream\":true,\"max_tokens\":3,\"stream_options\":{\"include_usage\":true}")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        List<String> events = Arrays.stream(r.body().split("\n\n")).toList();
        assertEquals(6, events.size(), r.body());
        assertTrue(events.stream().allMatch(e -> e.startsWith("data: ")), r.body());
        assertTrue(events.get(0).contains("\"delta\":{\"role\":\"assistant\",\"content\":\"\"}"));
        assertTrue(events.get(3).contains("\"finish_reason\":\"length\""));
        assertTrue(events.get(4).contains("\"choices\":[]") && events.get(4).contains("\"completion_tokens\":3"));
        assertEquals("data: [DONE]", events.get(5));
    }

    @Test
    void textCompletionsWorkWithLogprobs() {
        inference().body("{\"model\":\"" + MODEL + "\",\"prompt\":\"Say hi\",\"max_tokens\":2,\"logprobs\":5}")
                .post("/v1/completions").then().statusCode(200)
                .body("object", is("text_completion"))
                .body("choices[0].logprobs.tokens", hasSize(2))
                .body("choices[0].logprobs.tokens", everyItem(matchesPattern("\\d+")))
                .body("usage.completion_tokens", is(2));
    }

    @Test
    void anUnknownModelIs404InOpenAiShape() {
        inference().body("{\"model\":\"nope\",\"messages\":[]}").post("/v1/chat/completions").then().statusCode(404)
                .body("error.message", is("The model `nope` does not exist.")).body("error.code", is(404));
    }

    @Test
    void theManagementPortForwardsV1AndSays503WhenNothingRuns() {
        given().contentType(ContentType.JSON).body(chat(",\"max_tokens\":1")).post("/v1/chat/completions").then()
                .statusCode(200).body("usage.completion_tokens", is(1));
        given().post("/api/v1/stop").then().statusCode(200);
        String body = given().contentType(ContentType.JSON).body(chat("")).post("/v1/chat/completions").then()
                .statusCode(503).extract().asString();
        assertEquals("No vLLM backend available", body);
    }

    @Test
    void inferenceIs503WhileGeneratingPoc() {
        given().contentType(ContentType.JSON).body(PocTestBodies.init(null)).post("/api/v1/inference/pow/init/generate").then().statusCode(200);
        inference().body(chat("")).post("/v1/chat/completions").then().statusCode(503)
                .body("error.type", is("service_unavailable"));
        given().post("/api/v1/inference/pow/stop").then().statusCode(200);
        inference().body(chat("")).post("/v1/chat/completions").then().statusCode(200);
    }

    @Test
    void injectedErrorsAre500() {
        given().contentType(ContentType.JSON).body("{\"inference_errors\":true}").put("/sim/v1/faults").then().statusCode(200);
        inference().body(chat("")).post("/v1/chat/completions").then().statusCode(500).body("error.code", is(500));
    }

    @Test
    void aHangingCompletionHoldsItsSlotUntilTheClientLeaves() {
        given().contentType(ContentType.JSON).body("{\"inference_hangs\":true}").put("/sim/v1/faults").then().statusCode(200);
        CompletableFuture<HttpResponse<String>> pending = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(chat(""))).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().get("/sim/v1/stats").then().body("in_flight", is(1)));
        assertFalse(pending.isDone());
        pending.cancel(true);
        given().post("/api/v1/stop").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().get("/sim/v1/stats").then().body("in_flight", is(0)));
    }

    @Test
    void aDroppedStreamEndsWithoutDone() throws Exception {
        given().contentType(ContentType.JSON).body("{\"inference_drops\":true}").put("/sim/v1/faults").then().statusCode(200);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(chat(",\"stream\":true,\"max_tokens\":10"))).build(), HttpResponse.BodyHandlers.ofString());
            assertFalse(r.body().contains("[DONE]"), r.body());
        } catch (java.io.IOException expected) {
            // the connection was cut mid-body
        }
    }

    @Test
    void everyAnswerIsRecordedByRequestIdAndConcurrencyIsCounted() {
        String body = inference().header("X-Request-Id", "rec-1").body(chat(",\"max_tokens\":2")).post("/v1/chat/completions")
                .then().statusCode(200).extract().asString();
        String recorded = given().get("/sim/v1/responses/rec-1").then().statusCode(200).extract().asString();
        assertEquals(body, recorded);
        given().get("/sim/v1/stats").then().body("max_in_flight", is(1)).body("completed", is(1)).body("in_flight", is(0));
    }
}
