package io.gonkanode.registry.internal;

import io.gonkanode.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class InternalNodesTest {

    private static String register() {
        String id = "int-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("""
                {"id": "%s", "host": "h-%s", "inference_port": 5050, "poc_port": 8080, "max_concurrent": 7,
                 "models": {"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8": {"args": []}}}""".formatted(id, id))
                .post("/admin/v1/nodes").then().statusCode(200);
        return id;
    }

    @Test
    void listsEveryNodeWithConfigAdminAndObservedState() {
        String id = register();
        given().post("/admin/v1/nodes/" + id + "/disable").then().statusCode(200);
        given().get("/internal/v1/nodes").then().statusCode(200)
                .body("nodes.find { it.id == '" + id + "' }.max_concurrent", is(7))
                .body("nodes.find { it.id == '" + id + "' }.enabled", is(false))
                .body("nodes.find { it.id == '" + id + "' }.inference_port", is(5050))
                .body("nodes.find { it.id == '" + id + "' }.state.status", is("UNKNOWN"));
    }

    @Test
    void theLockCountIsTheSumOfWhatTheApiNodesHaveInFlight() {
        String id = register();
        String other = register();
        given().contentType(ContentType.JSON).body("{\"instance\":\"api-a\",\"in_flight\":{\"" + id + "\":3}}")
                .put("/internal/v1/load").then().statusCode(204);
        given().contentType(ContentType.JSON).body("{\"instance\":\"api-b\",\"in_flight\":{\"" + id + "\":2,\"" + other + "\":1}}")
                .put("/internal/v1/load").then().statusCode(204);
        given().get("/admin/v1/nodes/" + id).then().body("state.lock_count", is(5));
        given().get("/admin/v1/nodes").then().body("find { it.node.id == '" + other + "' }.state.lock_count", is(1));
        // a report replaces the instance's last one
        given().contentType(ContentType.JSON).body("{\"instance\":\"api-a\",\"in_flight\":{}}").put("/internal/v1/load")
                .then().statusCode(204);
        given().get("/admin/v1/nodes/" + id).then().body("state.lock_count", is(2));
        given().contentType(ContentType.JSON).body("{\"instance\":\"api-b\",\"in_flight\":{}}").put("/internal/v1/load");

        given().contentType(ContentType.JSON).body("{\"instance\":\"api-a\",\"in_flight\":{\"" + id + "\":-1}}")
                .put("/internal/v1/load").then().statusCode(400).body("error", is("in_flight." + id + ": a whole number of requests, 0 or more"));
        given().contentType(ContentType.JSON).body("{\"in_flight\":{}}").put("/internal/v1/load")
                .then().statusCode(400).body("error", is("instance: a string of 1 to 128 characters is required"));
        given().get("/admin/v1/nodes/" + id).then().body("state.lock_count", is(0));
    }

    @Test
    void anUnchangedViewIs304AndAChangeGivesANewEtag() {
        register();
        String etag = given().get("/internal/v1/nodes").then().statusCode(200).extract().header("ETag");
        String version = given().get("/internal/v1/nodes").then().extract().path("version");
        assertEquals("\"" + version + "\"", etag);
        given().header("If-None-Match", etag).get("/internal/v1/nodes")
                .then().statusCode(304).body(emptyString());
        String id = register();
        String next = given().header("If-None-Match", etag).get("/internal/v1/nodes")
                .then().statusCode(200).extract().header("ETag");
        assertNotEquals(etag, next);
        given().post("/admin/v1/nodes/" + id + "/disable").then().statusCode(200);
        given().header("If-None-Match", next).get("/internal/v1/nodes").then().statusCode(200);
    }
}
