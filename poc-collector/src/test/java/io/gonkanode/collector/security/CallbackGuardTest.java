package io.gonkanode.collector.security;

import io.gonkanode.collector.ManualClock;
import io.gonkanode.collector.StubRegistryResource;
import io.gonkanode.testing.PostgresTestResource;
import io.gonkanode.testing.StubRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The callback port admits registered ML node hosts and holders of the callback token, nobody else. The
 * test posts from 127.0.0.1 while the only registered host is 192.0.2.10 (a documentation address no
 * test ever contacts), so it is a stranger until it presents the token or a loopback host is registered.
 */
@QuarkusTest
@TestProfile(CallbackGuardTest.TokenProfile.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StubRegistryResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallbackGuardTest {

    public static class TokenProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gonka.callback.token", TOKEN, "gonka.callback.allowed-sources", "registered");
        }
    }

    static final String TOKEN = "ci-callback-token-0123456789";
    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final String ROUTE = "/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8/generated";
    static final String KEY = "02039a2281872046f6b7e523fe260fcd6a55c6051f80f28ac8bc47d668e6d67c42";
    static final String VECTOR = Base64.getEncoder().encodeToString(new byte[24]);
    static final AtomicLong NONCES = new AtomicLong(5_000_000);
    static final StubRegistry.Node FAR = new StubRegistry.Node("far", 1, "192.0.2.10", 1, 2, MODEL, "INFERENCE", true, true, 8);

    @Inject
    ManualClock clock;

    long stage;
    static volatile boolean registered;

    @BeforeEach
    void inGenerationWindow() {
        stage = clock.math().pocStart(1);
        clock.set(stage + 3);
        if (!registered) {
            StubRegistryResource.registry().nodes(List.of(FAR));
            registered = true;
        }
        // the collector knows node 1 once a tokened batch for it passes every check
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                post("/t/" + TOKEN + ROUTE, batch(fresh())).then().statusCode(200));
    }

    RequestSpecification post() {
        return given().urlEncodingEnabled(false).contentType(ContentType.JSON);
    }

    io.restassured.response.Response post(String path, String body) {
        return post().body(body).post(path);
    }

    String batch(long nonce) {
        return """
                {"block_hash":"%s","block_height":%d,"public_key":"%s","node_id":1,
                 "artifacts":[{"nonce":%d,"vector_b64":"%s"}]}""".formatted(clock.blockHash(stage), stage, KEY, nonce, VECTOR);
    }

    static long fresh() {
        return NONCES.getAndIncrement();
    }

    static long stored(long nonce) throws Exception {
        try (Connection c = PostgresTestResource.current().connect();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from poc.artifact where nonce = " + nonce)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(1)
    void aStrangerWithoutTheTokenIsRefusedAndNothingIsStored() throws Exception {
        long nonce = fresh();
        post(ROUTE, batch(nonce)).then().statusCode(403)
                .body("error", is("callbacks are accepted from registered ML node hosts only (source 127.0.0.1)"));
        post().body("{\"request_id\":\"x\",\"block_height\":1,\"node_id\":1,\"n_total\":1,\"n_mismatch\":0,\"fraud_detected\":false}")
                .post("/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8/validated").then().statusCode(403);
        post().body("{\"block_height\":7,\"nonces\":[1],\"dist\":[1.0],\"node_id\":1}").post("/v1/poc-batches/generated").then().statusCode(403);
        post().body("{\"block_height\":7,\"nonces\":[1],\"dist\":[1.0],\"node_id\":1}").post("/mlnode/v1/poc-batches/generated").then().statusCode(403);
        assertEquals(0, stored(nonce));
        // counted (other test classes share this application, so at least these four)
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.matchesPattern(
                "(?s).*\ncollector_callbacks_refused_total\\{reason=\"source\"} ([4-9]|[1-9][0-9]+)\\.0\n.*"));
    }

    @Test
    @Order(2)
    void theTokenNodeRegistryHandsOutIsLearnedFromItsView() throws Exception {
        String kept = "registry-kept-token_0123456789abcdefghijklmnopqrstuv";
        long early = fresh();
        post("/t/" + kept + ROUTE, batch(early)).then().statusCode(401).body("error", is("callback token rejected"));
        StubRegistryResource.registry().callbackToken(kept);
        // the first batch with a token it has not seen makes the collector look at the view again (at most once a second)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> post("/t/" + kept + ROUTE, batch(fresh())).then().statusCode(200));
        long later = fresh();
        post().header("Authorization", "Bearer " + kept).body(batch(later)).post(ROUTE).then().statusCode(200);
        assertEquals(0, stored(early));
        assertEquals(1, stored(later));
        // GONKA_CALLBACK_TOKEN keeps working beside it
        long configured = fresh();
        post("/t/" + TOKEN + ROUTE, batch(configured)).then().statusCode(200);
        assertEquals(1, stored(configured));
        StubRegistryResource.registry().callbackToken(null);
    }

    @Test
    @Order(3)
    void theTokenInTheCallbackUrlOrAsBearerAdmitsFromAnywhere() throws Exception {
        long inPath = fresh();
        post("/t/" + TOKEN + ROUTE, batch(inPath)).then().statusCode(200);
        long asBearer = fresh();
        post().header("Authorization", "Bearer " + TOKEN).body(batch(asBearer)).post(ROUTE).then().statusCode(200);
        assertEquals(1, stored(inPath));
        assertEquals(1, stored(asBearer));
    }

    @Test
    @Order(4)
    void aWrongTokenIsRefusedEvenWhereTheSourceWouldDo() throws Exception {
        long nonce = fresh();
        post("/t/" + TOKEN.replace('0', '1') + ROUTE, batch(nonce)).then().statusCode(401).body("error", is("callback token rejected"));
        post().header("Authorization", "Bearer nope").body(batch(nonce)).post(ROUTE).then().statusCode(401);
        assertEquals(0, stored(nonce));
    }

    @Test
    @Order(5)
    void theReadRoutesStayOpenAndTakeNoTokenPrefix() {
        given().get("/v1/epochs/latest").then().statusCode(200);
        given().get("/t/" + TOKEN + "/v1/epochs/latest").then().statusCode(404).body("error", is("no such route"));
    }

    @Test
    @Order(6)
    void aHostRegisteredAMomentAgoIsAdmittedByItsAddress() throws Exception {
        StubRegistryResource.registry().nodes(List.of(FAR, StubRegistry.Node.serving("near", 2, 3, 4, MODEL)));
        long nonce = fresh();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> post(ROUTE, batch(nonce)).then().statusCode(200));
        assertEquals(1, stored(nonce));
    }
}
