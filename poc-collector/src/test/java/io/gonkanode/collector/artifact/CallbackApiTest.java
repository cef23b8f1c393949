package io.gonkanode.collector.artifact;

import io.gonkanode.collector.ManualClock;
import io.gonkanode.collector.StubRegistryResource;
import io.gonkanode.testing.PostgresTestResource;
import io.gonkanode.testing.StubRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The callback server's checks, codes and durability, with a clock the test moves. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StubRegistryResource.class)
class CallbackApiTest {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final String PATH = "/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8/generated";
    static final String KEY = "02039a2281872046f6b7e523fe260fcd6a55c6051f80f28ac8bc47d668e6d67c42";
    static final String VECTOR = Base64.getEncoder().encodeToString(new byte[24]);
    static final AtomicLong NONCES = new AtomicLong(1_000_000);

    @Inject
    ManualClock clock;

    @TestHTTPResource("/")
    URI base;

    long stage;

    static final List<StubRegistry.Node> NODES = List.of(
            StubRegistry.Node.serving("a", 1, 1, 2, MODEL), StubRegistry.Node.serving("b", 2, 3, 4, MODEL));
    static volatile boolean registered;

    @BeforeEach
    void inGenerationWindow() {
        stage = clock.math().pocStart(1);
        clock.set(stage + 3);
        if (!registered) {
            // nodes are only ever added, so no test sees a node vanish under it
            StubRegistryResource.registry().nodes(NODES);
            registered = true;
            await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
                given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 2)).post(PATH).then().statusCode(200);
            });
        }
    }

    String batch(long height, int node, long... nonces) {
        StringBuilder a = new StringBuilder();
        for (long n : nonces) {
            a.append(a.length() == 0 ? "" : ",").append("{\"nonce\":").append(n).append(",\"vector_b64\":\"").append(VECTOR).append("\"}");
        }
        return """
                {"block_hash":"%s","block_height":%d,"public_key":"%s","node_id":%d,"artifacts":[%s],
                 "encoding":{"dtype":"f16","k_dim":12,"endian":"le"}}""".formatted(clock.blockHash(stage), height, KEY, node, a);
    }

    long[] fresh(int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = NONCES.getAndIncrement();
        }
        return out;
    }

    long stored(long... nonces) throws Exception {
        try (Connection c = PostgresTestResource.current().connect();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from poc.artifact where nonce in ("
                     + String.join(",", java.util.Arrays.stream(nonces).mapToObj(Long::toString).toList()) + ")")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void anAcceptedBatchIsStoredBeforeTheEmptyOk() throws Exception {
        long[] nonces = fresh(3);
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 1, nonces)).post(PATH)
                .then().statusCode(200).body(emptyString());
        assertEquals(3, stored(nonces));
        try (Connection c = PostgresTestResource.current().connect();
             ResultSet rs = c.createStatement().executeQuery(
                     "select m.model_id, a.node_num, a.stage_height from poc.artifact a join poc.model m on m.id = a.model where a.nonce = " + nonces[0])) {
            rs.next();
            assertEquals(MODEL, rs.getString(1), "the double-escaped path segment decodes to the model id");
            assertEquals(1, rs.getInt(2));
            assertEquals(stage, rs.getLong(3));
        }
    }

    @Test
    void aResentBatchIsNotCountedTwice() throws Exception {
        long[] nonces = fresh(5);
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 2, nonces)).post(PATH).then().statusCode(200);
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 2, nonces)).post(PATH).then().statusCode(200);
        assertEquals(5, stored(nonces));
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("collector_artifacts_total{outcome=\"duplicate\"}"), metrics);
    }

    @Test
    void aPartlyResentBatchStoresOnlyItsNewNoncesAndEveryVectorByteForByte() throws Exception {
        long[] first = fresh(3);
        long[] more = fresh(2);
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 2, first)).post(PATH).then().statusCode(200);
        // the same three again with two new ones, each with its own vector covering every nibble
        StringBuilder artifacts = new StringBuilder();
        java.util.Map<Long, byte[]> vectors = new java.util.LinkedHashMap<>();
        long[] all = java.util.stream.LongStream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(more)).toArray();
        for (int i = 0; i < all.length; i++) {
            byte[] v = new byte[24];
            for (int j = 0; j < v.length; j++) {
                v[j] = (byte) (i * 37 + j * 11 + (j % 2 == 0 ? 0x80 : 0x0F));
            }
            vectors.put(all[i], v);
            artifacts.append(i == 0 ? "" : ",").append("{\"nonce\":").append(all[i]).append(",\"vector_b64\":\"")
                    .append(Base64.getEncoder().encodeToString(v)).append("\"}");
        }
        String resent = batch(stage, 2, first).replaceFirst("\"artifacts\":\\[[^\\]]*]", "\"artifacts\":[" + artifacts + "]");
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(resent).post(PATH).then().statusCode(200);
        assertEquals(5, stored(all), "each nonce once");
        try (Connection c = PostgresTestResource.current().connect();
             ResultSet rs = c.createStatement().executeQuery("select nonce, vector from poc.artifact where nonce in ("
                     + more[0] + "," + more[1] + ")")) {
            int seen = 0;
            while (rs.next()) {
                assertArrayEquals(vectors.get(rs.getLong(1)), rs.getBytes(2), "the new nonce's vector as sent");
                seen++;
            }
            assertEquals(2, seen);
        }
        // and a fresh batch (the fast path) keeps its bytes too
        long[] fast = fresh(1);
        byte[] v = vectors.get(more[1]);
        String one = batch(stage, 2, fast).replace(VECTOR, Base64.getEncoder().encodeToString(v));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(one).post(PATH).then().statusCode(200);
        try (Connection c = PostgresTestResource.current().connect();
             ResultSet rs = c.createStatement().executeQuery("select vector from poc.artifact where nonce = " + fast[0])) {
            assertTrue(rs.next());
            assertArrayEquals(v, rs.getBytes(1));
        }
    }

    @Test
    void aBatchWithoutContentTypeIsAccepted() throws Exception {
        long[] nonces = fresh(1);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(PATH.substring(1)))
                .POST(HttpRequest.BodyPublishers.ofString(batch(stage, 1, nonces))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(1, stored(nonces));
    }

    @Test
    void outsideTheGenerationWindowIs503AndNothingIsStored() throws Exception {
        long[] nonces = fresh(2);
        clock.set(stage - 1);
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 1, nonces)).post(PATH)
                .then().statusCode(503).body("error", is("not in PoC generate phase"));
        clock.set(stage + clock.math().params().exchangeDeadline() + 1);
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 1, nonces)).post(PATH).then().statusCode(503);
        assertEquals(0, stored(nonces));
    }

    @Test
    void theChecksAnswerUpstreamsCodesAndMessages() throws Exception {
        long[] nonces = fresh(2);
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage + 1, 1, nonces)).post(PATH)
                .then().statusCode(400).body("error", is("block_height is not the active PoC stage"));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 77, nonces)).post(PATH)
                .then().statusCode(400).body("error", is("unknown node_num"));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 1, nonces).replace(VECTOR, "!!notbase64"))
                .post(PATH).then().statusCode(400).body("error", is("invalid base64 in artifact vector"));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 1, nonces).replace(VECTOR, ""))
                .post(PATH).then().statusCode(400).body("error", is("empty artifact vector"));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 1, nonces).replace(KEY, "03" + KEY.substring(2)))
                .post(PATH).then().statusCode(400).body("error", is("public_key is not this host's account key"));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{\"block_height\":").post(PATH)
                .then().statusCode(400).body("error", org.hamcrest.Matchers.startsWith("invalid request body: malformed JSON"));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 1, nonces).replace("\"node_id\":1", "\"node_id\":\"1\""))
                .post(PATH).then().statusCode(400).body("error", is("invalid request body: node_id must be an integer"));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 1, nonces))
                .post("/v2/poc-batches/unknown%252Fmodel/generated").then().statusCode(400)
                .body("error", is("unknown model_id: unknown/model is not a PoC model of this network"));
        assertEquals(0, stored(nonces), "a refused batch changes nothing");
    }

    @Test
    void aBatchWithOneBadVectorIsRefusedWhole() throws Exception {
        long[] nonces = fresh(3);
        String body = batch(stage, 1, nonces);
        int last = body.lastIndexOf(VECTOR);
        body = body.substring(0, last) + "%%%" + body.substring(last + VECTOR.length());
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(body).post(PATH).then().statusCode(400);
        assertEquals(0, stored(nonces));
    }

    @Test
    void aNodeRegisteredAMomentAgoIsFoundWithoutWaitingForTheNextRefresh() throws Exception {
        List<StubRegistry.Node> more = new java.util.ArrayList<>(NODES);
        more.add(StubRegistry.Node.serving("new", 9, 5, 6, MODEL));
        StubRegistryResource.registry().nodes(more);
        long[] nonces = fresh(1);
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch(stage, 9, nonces)).post(PATH).then().statusCode(200));
        assertEquals(1, stored(nonces));
    }

    @Test
    void legacyV1BatchesAreStored() throws Exception {
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{\"public_key\":\"" + KEY + "\",\"block_hash\":\"AB\",\"block_height\":7,"
                        + "\"nonces\":[11,12],\"dist\":[1.2,1.3],\"node_id\":1}")
                .post("/mlnode/v1/poc-batches/generated").then().statusCode(200);
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{\"block_height\":7,\"nonces\":[13],\"dist\":[1.1],\"node_id\":2}")
                .post("/v1/poc-batches/generated").then().statusCode(200);
        try (Connection c = PostgresTestResource.current().connect();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from poc.nonce_v1 where stage_height = 7")) {
            rs.next();
            assertEquals(3, rs.getLong(1));
        }
    }

    @Test
    void validationResultsOutsideTheValidationWindowAre503() {
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{\"request_id\":\"x\",\"block_height\":1,\"node_id\":1,\"n_total\":200,"
                        + "\"n_mismatch\":0,\"p_value\":1.0,\"fraud_detected\":false}")
                .post("/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8/validated")
                .then().statusCode(503).body("error", is("not in PoC validate phase"));
    }

    @Test
    void theRoundIsAnnouncedToTheRegistry() {
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> StubRegistryResource.registry().rounds().stream()
                .anyMatch(r -> r.contains("\"phase\":\"GENERATE\"") && r.contains("\"poc_start_block_height\":" + stage)
                        && r.contains("\"models\":{\"" + MODEL + "\":{\"seq_len\":1024}}")));
    }
}
