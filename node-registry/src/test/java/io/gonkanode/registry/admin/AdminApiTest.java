package io.gonkanode.registry.admin;

import io.gonkanode.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AdminApiTest {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    @TestHTTPResource("/")
    URI base;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String host() {
        return "gpu-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String node(String id, String host, int inferencePort, int pocPort) {
        return """
                {"id": "%s", "host": "%s", "inference_port": %d, "poc_port": %d, "max_concurrent": 500,
                 "models": {"%s": {"args": ["--max-model-len", "4096"]}}}""".formatted(id, host, inferencePort, pocPort, MODEL);
    }

    private HttpResponse<String> raw(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theGuideSequenceRunsVerbatim() {
        // mlnode-management.md "Adding a 235B node": the exact request body and header
        String guideBody = """
                {
                    "id": "node-235b",
                    "host": "10.0.0.22",
                    "inference_port": 5050,
                    "poc_port": 8080,
                    "max_concurrent": 500,
                    "models": {
                      "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8": {
                        "args": [
                          "--tensor-parallel-size",
                          "4"
                        ]
                      }
                    }
                  }""";
        given().header("Content-Type", "application/json").body(guideBody)
                .when().post("/admin/v1/nodes")
                .then().statusCode(200)
                .body("id", is("node-235b"))
                .body("host", is("10.0.0.22"))
                .body("inference_port", is(5050))
                .body("poc_port", is(8080))
                .body("max_concurrent", is(500))
                .body("inference_segment", is(""))
                .body("hardware", nullValue())
                .body("node_num", notNullValue())
                .body("models.'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8'.args", contains("--tensor-parallel-size", "4"));
        // curl -X GET http://localhost:9200/admin/v1/nodes
        given().when().get("/admin/v1/nodes")
                .then().statusCode(200)
                .body("node.id", hasItem("node-235b"))
                .body("find { it.node.id == 'node-235b' }.state.current_status", is("UNKNOWN"))
                .body("find { it.node.id == 'node-235b' }.state.admin_state.enabled", is(true));
        // curl -X DELETE "http://localhost:9200/admin/v1/nodes/{id}" -H "Content-Type: application/json"
        String deleted = given().header("Content-Type", "application/json")
                .when().delete("/admin/v1/nodes/node-235b")
                .then().statusCode(200).contentType(ContentType.JSON).extract().asString();
        assertEquals("true", deleted);
        given().when().get("/admin/v1/nodes").then().body("node.id", not(hasItem("node-235b")));
    }

    @Test
    void createEchoesTheNodeInUpstreamKeyOrderWithNodeNum() throws Exception {
        String id = unique("order");
        HttpResponse<String> r = raw("POST", "/admin/v1/nodes", "application/json", node(id, host(), 5050, 8080));
        assertEquals(200, r.statusCode());
        List<String> keys = List.of("\"host\"", "\"inference_segment\"", "\"inference_port\"", "\"poc_segment\"",
                "\"poc_port\"", "\"models\"", "\"id\"", "\"max_concurrent\"", "\"node_num\"", "\"hardware\"");
        int last = -1;
        for (String key : keys) {
            int at = r.body().indexOf(key);
            assertTrue(at > last, key + " out of order in " + r.body());
            last = at;
        }
    }

    @Test
    void aSchemeInTheHostIsAcceptedAndStrippedAsTheGuideShowsIt() {
        String id = unique("scheme");
        String h = host();
        given().contentType(ContentType.JSON).body(node(id, "http://" + h, 5050, 8080))
                .when().put("/admin/v1/nodes/" + id)
                .then().statusCode(200).body("host", is(h));
    }

    @Test
    void postWithAnExistingIdUpdatesAndKeepsNodeNumAndAdminState() {
        String id = unique("upsert");
        String h = host();
        int num = given().contentType(ContentType.JSON).body(node(id, h, 5050, 8080))
                .post("/admin/v1/nodes").then().statusCode(200).extract().path("node_num");
        given().post("/admin/v1/nodes/" + id + "/disable").then().statusCode(200);
        String updated = node(id, h, 5051, 8081).replace("\"max_concurrent\": 500", "\"max_concurrent\": 800");
        given().contentType(ContentType.JSON).body(updated).post("/admin/v1/nodes")
                .then().statusCode(200).body("node_num", is(num)).body("max_concurrent", is(800)).body("inference_port", is(5051));
        given().get("/admin/v1/nodes/" + id).then().statusCode(200)
                .body("node.max_concurrent", is(800))
                .body("node.node_num", is(num))
                .body("state.admin_state.enabled", is(false));
    }

    @Test
    void putTakesTheIdFromThePathWhenTheBodyHasNoneAndRejectsAMismatch() {
        String id = unique("put");
        String body = node(id, host(), 5050, 8080).replace("\"id\": \"" + id + "\",", "");
        given().contentType(ContentType.JSON).body(body).put("/admin/v1/nodes/" + id)
                .then().statusCode(200).body("id", is(id));
        given().contentType(ContentType.JSON).body(node("other", host(), 5050, 8080)).put("/admin/v1/nodes/" + id)
                .then().statusCode(400)
                .body("error", is("failed to update node: the id in the path ('" + id + "') and in the body ('other') differ"));
    }

    @Test
    void validationListsEveryProblemInOneAnswer() {
        given().contentType(ContentType.JSON)
                .body("{\"id\":\"\",\"host\":\"\",\"inference_port\":0,\"poc_port\":65536,\"max_concurrent\":-1,\"models\":{}}")
                .post("/admin/v1/nodes")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", is("failed to create node: validation failed: node id is required and cannot be empty; "
                        + "host is required and cannot be empty; inference_port must be between 1 and 65535, got 0; "
                        + "poc_port must be between 1 and 65535, got 65536; max_concurrent must be greater than 0, got -1; "
                        + "at least one model must be specified"));
    }

    @Test
    void aNodeWithoutAnyGovernanceModelIsRejectedNamingTheGovernanceModels() {
        String id = unique("model");
        String body = node(id, host(), 5050, 8080).replace(MODEL, "Qwen/Qwen3-32B-FP8");
        given().contentType(ContentType.JSON).body(body).post("/admin/v1/nodes")
                .then().statusCode(400)
                .body("error", is("failed to create node: validation failed: node " + id + " has no governance-valid models "
                        + "(model Qwen/Qwen3-32B-FP8 is not a valid governance model; governance models: " + MODEL + ")"));
    }

    @Test
    void duplicateHostAndPortsAreRejectedWithTheOtherNodeNamed() {
        String first = unique("dup");
        String h = host();
        given().contentType(ContentType.JSON).body(node(first, h, 5050, 8080)).post("/admin/v1/nodes").then().statusCode(200);
        given().contentType(ContentType.JSON).body(node(unique("dup"), h, 5050, 8080)).post("/admin/v1/nodes")
                .then().statusCode(400)
                .body("error", is("failed to create node: validation failed: duplicate inference host+port combination: "
                        + h + ":5050 (already used by node '" + first + "'); duplicate PoC host+port combination: "
                        + h + ":8080 (already used by node '" + first + "')"));
    }

    @Test
    void aRejectedUpdateLeavesTheStoredNodeUntouched() {
        String id = unique("keep");
        String h = host();
        given().contentType(ContentType.JSON).body(node(id, h, 5050, 8080)).post("/admin/v1/nodes").then().statusCode(200);
        given().contentType(ContentType.JSON).body(node(id, h, 0, 8080)).post("/admin/v1/nodes")
                .then().statusCode(400).body("error", startsWith("failed to update node: validation failed: inference_port"));
        given().get("/admin/v1/nodes/" + id).then().body("node.inference_port", is(5050));
    }

    @Test
    void batchAnswers201WhenAllSucceed() {
        String a = unique("b");
        String b = unique("b");
        given().contentType(ContentType.JSON).body("[" + node(a, host(), 5050, 8080) + "," + node(b, host(), 5050, 8080) + "]")
                .post("/admin/v1/nodes/batch")
                .then().statusCode(201).body("id", contains(a, b)).body("node_num", hasSize(2));
    }

    @Test
    void batchAnswers206WithNodesAndErrorsWhenSomeFail() {
        String ok = unique("b");
        String h = host();
        String bad = node("", host(), 5050, 8080);
        String dup = node(unique("b"), h, 5050, 8080);
        given().contentType(ContentType.JSON).body("[" + node(ok, h, 5050, 8080) + "," + bad + "," + dup + "]")
                .post("/admin/v1/nodes/batch")
                .then().statusCode(206)
                .body("nodes.id", contains(ok))
                .body("errors", hasSize(2))
                .body("errors[0]", is("node[1] (id: ): failed to create node: validation failed: node id is required and cannot be empty"))
                .body("errors[1]", startsWith("node[2] (id: b-"))
                .body("errors[1]", org.hamcrest.Matchers.containsString("duplicate inference host+port combination"));
        given().get("/admin/v1/nodes/" + ok).then().statusCode(200);
    }

    @Test
    void batchAnswers400InUpstreamsNestedShapeWhenAllFail() {
        given().contentType(ContentType.JSON).body("[{\"id\":\"\"},{\"id\":7}]")
                .post("/admin/v1/nodes/batch")
                .then().statusCode(400)
                .body("error.error", is("all nodes failed validation"))
                .body("error.errors", hasSize(2))
                .body("error.errors[1]", is("node[1] (id: ): invalid request body: id must be a string, got the number 7"));
    }

    @Test
    void batchMustBeANonEmptyArray() {
        given().contentType(ContentType.JSON).body("{}").post("/admin/v1/nodes/batch")
                .then().statusCode(400).body("error", is("invalid request body: a batch must be a JSON array of nodes"));
        given().contentType(ContentType.JSON).body("[]").post("/admin/v1/nodes/batch")
                .then().statusCode(400).body("error", is("invalid request body: the batch is empty"));
    }

    @Test
    void deleteAnswersBareTrueThenFalse() {
        String id = unique("del");
        given().contentType(ContentType.JSON).body(node(id, host(), 5050, 8080)).post("/admin/v1/nodes").then().statusCode(200);
        assertEquals("true", given().delete("/admin/v1/nodes/" + id).then().statusCode(200).extract().asString());
        assertEquals("false", given().delete("/admin/v1/nodes/" + id).then().statusCode(200).extract().asString());
        given().get("/admin/v1/nodes/" + id).then().statusCode(404).body("error", is("node not found: " + id));
    }

    @Test
    void nodeNumIsNeverReusedAfterADelete() {
        String a = unique("num");
        int first = given().contentType(ContentType.JSON).body(node(a, host(), 5050, 8080)).post("/admin/v1/nodes")
                .then().extract().path("node_num");
        given().delete("/admin/v1/nodes/" + a).then().statusCode(200);
        int again = given().contentType(ContentType.JSON).body(node(a, host(), 5050, 8080)).post("/admin/v1/nodes")
                .then().extract().path("node_num");
        assertTrue(again > first, "re-registered " + a + " got node_num " + again + " after " + first);
    }

    @Test
    void enableAndDisableAnswerUpstreamMessagesAndArePersisted() throws Exception {
        String id = unique("adm");
        given().contentType(ContentType.JSON).body(node(id, host(), 5050, 8080)).post("/admin/v1/nodes").then().statusCode(200);
        given().post("/admin/v1/nodes/" + id + "/disable").then().statusCode(200)
                .body("message", is("node disabled successfully")).body("node_id", is(id));
        try (Connection c = PostgresTestResource.current().connect();
             ResultSet rs = c.createStatement().executeQuery("select enabled from registry.node where id = '" + id + "'")) {
            assertTrue(rs.next());
            assertEquals(false, rs.getBoolean(1));
        }
        given().post("/admin/v1/nodes/" + id + "/enable").then().statusCode(200)
                .body("message", is("node enabled successfully")).body("node_id", is(id));
        given().get("/admin/v1/nodes/" + id).then().body("state.admin_state.enabled", is(true));
    }

    /** The listing reuses the rows it read while the tables are unchanged; a change by another replica shows at once. */
    @Test
    void theListingAndTheInternalViewSeeWritesMadeByAnotherReplica() throws Exception {
        String id = unique("replica");
        given().contentType(ContentType.JSON).body(node(id, host(), 5050, 8080)).post("/admin/v1/nodes").then().statusCode(200);
        given().get("/admin/v1/nodes").then().body("find { it.node.id == '" + id + "' }.node.max_concurrent", is(500));
        String etag = given().get("/internal/v1/nodes").then().statusCode(200).extract().header("ETag");
        given().header("If-None-Match", etag).get("/internal/v1/nodes").then().statusCode(304);

        try (Connection c = PostgresTestResource.current().connect()) {
            assertEquals(1, c.createStatement().executeUpdate("update registry.node set max_concurrent = 7 where id = '" + id + "'"));
        }
        given().get("/admin/v1/nodes").then().body("find { it.node.id == '" + id + "' }.node.max_concurrent", is(7));
        given().header("If-None-Match", etag).get("/internal/v1/nodes").then().statusCode(200)
                .body("nodes.find { it.id == '" + id + "' }.max_concurrent", is(7));

        try (Connection c = PostgresTestResource.current().connect()) {
            assertEquals(1, c.createStatement().executeUpdate("delete from registry.node where id = '" + id + "'"));
        }
        given().get("/admin/v1/nodes").then().body("find { it.node.id == '" + id + "' }", nullValue());
        given().get("/internal/v1/nodes").then().body("nodes.find { it.id == '" + id + "' }", nullValue());
    }

    @Test
    void enableAndDisableOfAnUnknownNodeAre404() {
        given().post("/admin/v1/nodes/ghost/enable").then().statusCode(404).body("error", is("node not found: ghost"));
        given().post("/admin/v1/nodes/ghost/disable").then().statusCode(404).body("error", is("node not found: ghost"));
    }

    @Test
    void listEntriesCarryUpstreamStateDefaults() {
        String id = unique("state");
        given().contentType(ContentType.JSON).body(node(id, host(), 5050, 8080)).post("/admin/v1/nodes").then().statusCode(200);
        given().get("/admin/v1/nodes/" + id).then().statusCode(200)
                .body("state.intended_status", is("UNKNOWN"))
                .body("state.current_status", is("UNKNOWN"))
                .body("state.poc_intended_status", is("IDLE"))
                .body("state.poc_current_status", is("IDLE"))
                .body("state.lock_count", is(0))
                .body("state.failure_reason", is(""))
                .body("state.status_timestamp", notNullValue())
                .body("state.admin_state.epoch", is(0))
                .body("state.ml_node_version", is(""))
                .body("state.poc_validation_inference", is(false))
                .body("state", not(org.hamcrest.Matchers.hasKey("reconcile_info")));
    }

    @Test
    void aJsonBodyWithoutContentTypeIsAccepted() throws Exception {
        String id = unique("noct");
        HttpResponse<String> r = raw("POST", "/admin/v1/nodes", null, node(id, host(), 5050, 8080));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"id\":\"" + id + "\""));
    }

    @Test
    void aNonJsonContentTypeIs415() throws Exception {
        HttpResponse<String> form = raw("POST", "/admin/v1/nodes", "application/x-www-form-urlencoded",
                node(unique("form"), host(), 5050, 8080));
        assertEquals(415, form.statusCode());
        assertEquals("{\"error\":\"unsupported Content-Type 'application/x-www-form-urlencoded': send JSON with "
                + "-H 'Content-Type: application/json'\"}", form.body());
        assertEquals(415, raw("POST", "/admin/v1/nodes/batch", "text/plain", "[]").statusCode());
        assertEquals(415, raw("PUT", "/admin/v1/nodes/x", "text/plain", "{}").statusCode());
    }

    @Test
    void malformedJsonIs400NamingTheProblem() throws Exception {
        HttpResponse<String> r = raw("POST", "/admin/v1/nodes", "application/json", "{\"id\": \"x\",");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().startsWith("{\"error\":\"invalid request body: malformed JSON:"), r.body());
        assertEquals(400, raw("POST", "/admin/v1/nodes", "application/json", "").statusCode());
        assertEquals(400, raw("POST", "/admin/v1/nodes", "application/json", "[1,2]").statusCode());
        assertEquals(400, raw("POST", "/admin/v1/nodes", "application/json", "{} {}").statusCode());
        assertEquals(400, raw("POST", "/admin/v1/nodes", "application/json", "[".repeat(100) + "]".repeat(100)).statusCode());
    }

    @Test
    void wrongTypesAre400NamingTheField() {
        given().contentType(ContentType.JSON).body("{\"id\":\"t\",\"host\":\"h\",\"inference_port\":\"5050\",\"poc_port\":8080,"
                        + "\"max_concurrent\":1,\"models\":{\"" + MODEL + "\":{\"args\":[]}}}")
                .post("/admin/v1/nodes")
                .then().statusCode(400)
                .body("error", is("invalid request body: inference_port must be an integer, got the string \"5050\""));
    }

    @Test
    void aBodyOverOneMebibyteIs413Json() throws Exception {
        String huge = "{\"id\":\"" + "x".repeat(1 << 20) + "\"}";
        HttpResponse<String> r = raw("POST", "/admin/v1/nodes", "application/json", huge);
        assertEquals(413, r.statusCode());
        assertEquals("{\"error\":\"request body too large: at most 1048576 bytes (1 MiB)\"}", r.body());
    }

    @Test
    void unknownRoutesAndMethodsAnswerJson() throws Exception {
        HttpResponse<String> r = raw("PATCH", "/admin/v1/nodes/x", "application/json", "{}");
        assertEquals(405, r.statusCode());
        assertEquals("{\"error\":\"method not allowed\"}", r.body());
        given().get("/admin/v1/nope").then().statusCode(404).body("error", is("no such route"));
    }

    @Test
    void everyAnswerCarriesARequestIdTakenFromTheCaller() {
        given().header("X-Request-Id", "abc-123").get("/admin/v1/nodes").then().header("X-Request-Id", equalTo("abc-123"));
        given().get("/admin/v1/nodes").then().header("X-Request-Id", notNullValue());
    }
}
