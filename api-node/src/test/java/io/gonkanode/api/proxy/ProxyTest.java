package io.gonkanode.api.proxy;

import io.gonkanode.testing.Sims;
import io.gonkanode.api.FleetResource;
import io.gonkanode.testing.StubRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gonkanode.api.FleetResource.MODEL;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inference gateway against real simulated ML nodes. */
@QuarkusTest
@QuarkusTestResource(FleetResource.class)
class ProxyTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void healthyFleet() {
        for (Sims.Sim sim : FleetResource.sims()) {
            given().baseUri(sim.url()).contentType(ContentType.JSON).body("{}").put("/sim/v1/faults").then().statusCode(200);
            given().baseUri(sim.url()).post("/sim/v1/stats/reset").then().statusCode(200);
        }
        view(2, 4, 6);
    }

    /** Sets the registry view (one max_concurrent per sim, 0 = not routable) and waits until api-node applied it. */
    static void view(int... maxConcurrent) {
        List<StubRegistry.Node> nodes = new ArrayList<>();
        for (int i = 0; i < maxConcurrent.length; i++) {
            Sims.Sim sim = FleetResource.sims().get(i);
            nodes.add(new StubRegistry.Node(sim.id(), i + 1, "127.0.0.1", sim.managementPort(), sim.inferencePort(), MODEL,
                    maxConcurrent[i] > 0 ? "INFERENCE" : "FAILED", maxConcurrent[i] > 0, true, Math.max(1, maxConcurrent[i])));
        }
        FleetResource.registry().nodes(nodes);
        await().atMost(Duration.ofSeconds(10)).until(() -> FleetResource.registry().servedSinceChange() >= 3);
    }

    static String chat(int maxTokens, boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"What is proof of compute?\"}],"
                + "\"max_tokens\":" + maxTokens + ",\"seed\":3" + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
    }

    HttpResponse<byte[]> post(String body, String requestId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) {
            b.header("X-Request-Id", requestId);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] answered(String requestId) {
        for (Sims.Sim sim : FleetResource.sims()) {
            var r = given().baseUri(sim.url()).get("/sim/v1/responses/" + requestId);
            if (r.statusCode() == 200) {
                return r.asByteArray();
            }
        }
        throw new AssertionError("no sim answered " + requestId);
    }

    static int stat(Sims.Sim sim, String field) {
        return given().baseUri(sim.url()).get("/sim/v1/stats").then().extract().path(field);
    }

    @Test
    void jsonPassesThroughByteForByte() throws Exception {
        HttpResponse<byte[]> r = post(chat(4, false), "json-1");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        assertEquals("json-1", r.headers().firstValue("x-request-id").orElse(""));
        assertArrayEquals(answered("json-1"), r.body());
    }

    @Test
    void sseStreamsPassThroughByteForByte() throws Exception {
        HttpResponse<byte[]> r = post(chat(3, true), "sse-1");
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        assertArrayEquals(answered("sse-1"), r.body());
        assertTrue(new String(r.body()).endsWith("data: [DONE]\n\n"));
    }

    @Test
    void aRequestIdIsGeneratedWhenTheClientSendsNone() throws Exception {
        HttpResponse<byte[]> r = post(chat(1, false), null);
        String id = r.headers().firstValue("x-request-id").orElseThrow();
        assertArrayEquals(answered(id), r.body(), "the id reaches the ML node too");
    }

    @Test
    void concurrentLoadNeverExceedsAnyMaxConcurrentAndSpreadsByRatio() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(12);
        List<Future<Integer>> results = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            results.add(clients.submit(() -> {
                int ok = 0;
                for (int i = 0; i < 6; i++) {
                    if (post(chat(6, false), null).statusCode() == 200) {
                        ok++;
                    }
                }
                return ok;
            }));
        }
        int ok = 0;
        for (Future<Integer> f : results) {
            ok += f.get();
        }
        clients.shutdown();
        int[] caps = {2, 4, 6};
        int[] done = new int[3];
        for (int i = 0; i < 3; i++) {
            int max = stat(FleetResource.sims().get(i), "max_in_flight");
            assertTrue(max <= caps[i], "sim " + i + " saw " + max + " at once, cap " + caps[i]);
            done[i] = stat(FleetResource.sims().get(i), "completed");
        }
        assertEquals(72, ok, "12 clients x 6 requests, the capacity is exactly 12");
        assertEquals(72, done[0] + done[1] + done[2]);
        for (int i = 0; i < 3; i++) {
            double share = done[i] / 72.0;
            double expected = caps[i] / 12.0;
            assertTrue(share > expected * 0.5 && share < expected * 1.5,
                    "sim " + i + " served " + done[i] + " of 72; expected about " + Math.round(expected * 72));
        }
    }

    @Test
    void aStreamHoldsItsSlotUntilItsLastByteAndOthersGet429() throws Exception {
        view(1, 0, 0);
        HttpRequest stream = HttpRequest.newBuilder(base.resolve("v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chat(40, true))).build();
        CompletableFuture<HttpResponse<InputStream>> first = HTTP.sendAsync(stream, HttpResponse.BodyHandlers.ofInputStream());
        InputStream in = first.get().body();
        assertTrue(in.read() >= 0, "the stream started");
        HttpResponse<byte[]> second = post(chat(1, false), null);
        assertEquals(429, second.statusCode(), new String(second.body()) + " stats " + java.util.Arrays.toString(
                FleetResource.sims().stream().map(s -> given().baseUri(s.url()).get("/sim/v1/stats").asString()).toArray()));
        assertEquals("1", second.headers().firstValue("retry-after").orElse(""));
        assertTrue(new String(second.body()).contains("\"type\":\"rate_limit_error\""));
        in.readAllBytes();
        assertEquals(200, post(chat(1, false), null).statusCode(), "free again once the stream ended");
        assertEquals(1, stat(FleetResource.sims().get(0), "max_in_flight"));
    }

    @Test
    void theRequestsInFlightAreReportedToTheRegistryAsItsLockCount() throws Exception {
        view(1, 0, 0);
        String node = FleetResource.sims().get(0).id();
        CompletableFuture<HttpResponse<InputStream>> stream = HTTP.sendAsync(HttpRequest.newBuilder(base.resolve("v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chat(40, true))).build(), HttpResponse.BodyHandlers.ofInputStream());
        InputStream in = stream.get().body();
        assertTrue(in.read() >= 0, "the stream started");
        await().atMost(Duration.ofSeconds(10)).until(() -> lastLoad().path("in_flight").path(node).asInt() == 1);
        assertTrue(lastLoad().path("instance").asText().length() > 0);
        in.readAllBytes();
        await().atMost(Duration.ofSeconds(10)).until(() -> lastLoad().path("in_flight").isEmpty());
    }

    static com.fasterxml.jackson.databind.JsonNode lastLoad() throws Exception {
        List<String> reports = FleetResource.registry().loadReports();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(reports.isEmpty() ? "{}" : reports.get(reports.size() - 1));
    }

    @Test
    void aWaitingRequestGetsTheSlotWhenItFrees() throws Exception {
        view(1, 0, 0);
        CompletableFuture<HttpResponse<byte[]>> first = HTTP.sendAsync(HttpRequest.newBuilder(base.resolve("v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chat(8, false))).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(Duration.ofSeconds(5)).until(() -> stat(FleetResource.sims().get(0), "in_flight") == 1);
        HttpResponse<byte[]> second = post(chat(1, false), null);
        assertEquals(200, second.statusCode(), "the 0.4 s answer frees the slot within the 1 s queue timeout");
        assertEquals(200, first.get().statusCode());
        assertEquals(1, stat(FleetResource.sims().get(0), "max_in_flight"));
    }

    @Test
    void aClientThatGoesAwayFreesTheSlotAndCancelsTheUpstreamRequest() throws Exception {
        view(1, 0, 0);
        CompletableFuture<HttpResponse<InputStream>> stream = HTTP.sendAsync(HttpRequest.newBuilder(base.resolve("v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chat(60, true))).build(), HttpResponse.BodyHandlers.ofInputStream());
        InputStream in = stream.get().body();
        assertTrue(in.read() >= 0);
        in.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> stat(FleetResource.sims().get(0), "in_flight") == 0);
        assertEquals(200, post(chat(1, false), null).statusCode(), "the slot is free again");
    }

    @Test
    void aClientThatGoesAwayBeforeTheAnswerLeavesTheNodeInRotation() throws Exception {
        view(1, 0, 0);
        Sims.Sim sim = FleetResource.sims().get(0);
        byte[] body = chat(40, false).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> stat(sim, "in_flight") == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stat(sim, "in_flight") == 0);
        HttpResponse<byte[]> next = post(chat(1, false), null);
        assertEquals(200, next.statusCode(), "the node did nothing wrong and stays in rotation: " + new String(next.body()));
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("api_inference_requests_total{model=\"" + MODEL + "\",node=\"" + sim.id() + "\",outcome=\"client gone\"}"),
                metrics);
    }

    @Test
    void aFailingNodeIsRetriedElsewhereBeforeAnyByteAndLeavesRotation() throws Exception {
        view(4, 4, 0);
        given().baseUri(FleetResource.sims().get(0).url()).contentType(ContentType.JSON).body("{\"inference_errors\":true}")
                .put("/sim/v1/faults").then().statusCode(200);
        for (int i = 0; i < 6; i++) {
            assertEquals(200, post(chat(1, false), null).statusCode());
        }
        assertTrue(stat(FleetResource.sims().get(0), "started") <= 1, "out of rotation after its first failure");
        assertEquals(6, stat(FleetResource.sims().get(1), "completed"));
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("api_inference_retries_total"), metrics);
        assertTrue(metrics.contains("api_inference_inflight{node=\"sim-1\"} 0.0"), metrics);
        assertTrue(metrics.contains("api_inference_requests_total{model=\"" + MODEL + "\",node=\"sim-1\",outcome=\"ok\"}"), metrics);
    }

    @Test
    void aNodeKilledMidRunFailsNoRequestThatHadNotReceivedBytes() throws Exception {
        view(4, 4, 0);
        Sims.Sim victim = FleetResource.sims().get(0);
        ExecutorService clients = Executors.newFixedThreadPool(6);
        AtomicInteger sent = new AtomicInteger();
        List<Future<List<Integer>>> results = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int c = 0; c < 6; c++) {
            results.add(clients.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                while (!stop.get()) {
                    statuses.add(post(chat(5, false), null).statusCode());
                    sent.incrementAndGet();
                }
                return statuses;
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> stat(victim, "in_flight") > 0 && sent.get() > 10);
            victim.process().kill();
            int after = sent.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> sent.get() > after + 30);
        } finally {
            stop.set(true);
        }
        List<Integer> all = new ArrayList<>();
        for (Future<List<Integer>> f : results) {
            all.addAll(f.get());
        }
        clients.shutdown();
        assertTrue(all.stream().allMatch(s -> s == 200), "statuses: " + all.stream().filter(s -> s != 200).toList());
        victim.process().start(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "INFERENCE".equals(given().baseUri(victim.url()).get("/api/v1/state").then().extract().path("state")));
    }

    @Test
    void unknownModelsAre404AndModelsNobodyCanServeNow503() throws Exception {
        given().contentType(ContentType.JSON).body("{\"model\":\"nope\",\"messages\":[]}").post("/v1/chat/completions")
                .then().statusCode(404).body("error.code", is("model_not_found")).body("error.param", is("model"));
        view(0, 0, 0);
        given().contentType(ContentType.JSON).body(chat(1, false)).post("/v1/chat/completions")
                .then().statusCode(503).body("error.type", is("service_unavailable"));
        given().get("/v1/models").then().statusCode(200).body("data.size()", is(0));
    }

    @Test
    void modelNamesNoNodeServesNeverBecomeMetricTags() {
        for (int i = 0; i < 20; i++) {
            given().contentType(ContentType.JSON).body("{\"model\":\"made-up-" + i + "\",\"messages\":[]}")
                    .post("/v1/chat/completions").then().statusCode(404);
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(!metrics.contains("made-up-"), "a client's made-up model names would grow the meter registry without bound");
        assertTrue(metrics.contains("model=\"(unknown)\"") && metrics.contains("outcome=\"unknown_model\""), "counted under one tag");
    }

    @Test
    void malformedRequestsGetOpenAiErrors() {
        given().contentType(ContentType.JSON).body("{\"messages\":[]}").post("/v1/chat/completions")
                .then().statusCode(400).body("error.message", is("you must provide a model parameter"));
        given().contentType(ContentType.JSON).body("{not json").post("/v1/chat/completions")
                .then().statusCode(400).body("error.type", is("invalid_request_error"));
        given().contentType(ContentType.JSON).body("{\"model\":\"" + MODEL + "\",\"pad\":\"" + "x".repeat(11 << 20) + "\"}")
                .post("/v1/chat/completions").then().statusCode(413).body("error.code", is("request_too_large"));
        given().get("/v1/chat/completions").then().statusCode(405);
        given().get("/v1/unknown").then().statusCode(404).body("error.code", is("unknown_url"));
    }

    @Test
    void routingGoesOnWhenTheRegistryIsAway() throws Exception {
        FleetResource.registry().down(true);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> true);
            for (int i = 0; i < 3; i++) {
                assertEquals(200, post(chat(1, false), null).statusCode());
            }
            given().get("/v1/models").then().body("data.id", org.hamcrest.Matchers.contains(MODEL));
        } finally {
            FleetResource.registry().down(false);
        }
    }

    @Test
    void theReadApiAnswers() {
        given().get("/v1/status").then().statusCode(200).body("status", is("ok"));
        given().get("/health").then().statusCode(200);
        given().get("/v1/models").then().statusCode(200).body("object", is("list")).body("data[0].id", is(MODEL));
        given().get("/q/health/ready").then().statusCode(200);
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/chat/completions'.post.responses.'429'", org.hamcrest.Matchers.notNullValue());
        AtomicInteger unused = new AtomicInteger();
        assertEquals(0, unused.get());
    }
}
