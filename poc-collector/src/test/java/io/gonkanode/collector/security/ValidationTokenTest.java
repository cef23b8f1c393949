package io.gonkanode.collector.security;

import io.gonkanode.collector.ManualClock;
import io.gonkanode.collector.StubRegistryResource;
import io.gonkanode.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Without GONKA_CALLBACK_TOKEN the collector's validation requests carry a token of its own, kept in the database: one
 * an earlier run handed out (then restarted) still admits the verdicts, from an address no check would admit.
 */
@QuarkusTest
@TestProfile(ValidationTokenTest.NoTokenProfile.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StubRegistryResource.class)
class ValidationTokenTest {

    public static class NoTokenProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gonka.callback.allowed-sources", "registered");
        }
    }

    static final String EARLIER = "earlier-run-token_0123456789abcdefghijklmnop";

    @Inject
    ManualClock clock;

    @Inject
    ValidationToken token;

    @Test
    void theTokenAnEarlierRunKeptIsAdmittedAndHandedOutAgain() throws Exception {
        try (Connection c = PostgresTestResource.current().connect()) {
            c.createStatement().executeUpdate("delete from poc.kept_secret");
            c.createStatement().executeUpdate("insert into poc.kept_secret (name, value) values ('validation_callback_token', '"
                    + EARLIER + "')");
        }
        StubRegistryResource.registry().nodes(List.of(CallbackGuardTest.FAR));
        long stage = clock.math().pocStart(1);
        clock.set(stage + 3);
        String batch = """
                {"block_hash":"%s","block_height":%d,"public_key":"%s","node_id":1,
                 "artifacts":[{"nonce":%d,"vector_b64":"%s"}]}""".formatted(clock.blockHash(stage), stage, CallbackGuardTest.KEY,
                9_000_001, CallbackGuardTest.VECTOR);
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(batch).post("/t/not-the-kept-token-0123456789" + CallbackGuardTest.ROUTE)
                .then().statusCode(401);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .body(batch).post("/t/" + EARLIER + CallbackGuardTest.ROUTE).then().statusCode(200));
        assertEquals(EARLIER, token.value(), "the next validation requests carry the same token");
        try (Connection c = PostgresTestResource.current().connect();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from poc.kept_secret")) {
            rs.next();
            assertEquals(1, rs.getLong(1));
        }
    }
}
