package io.gonkanode.registry.nodeconfig;

import io.gonkanode.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class NodeConfigImportTest {

    @Inject
    NodeConfigImporter importer;

    private static String entry(String id, int maxConcurrent) {
        return """
                {"id":"%s","host":"h-%s","inference_port":5000,"poc_port":8080,"max_concurrent":%d,
                 "models":{"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8":{"args":[]}}}""".formatted(id, id, maxConcurrent);
    }

    @Test
    void theFileIsAppliedOnlyWhenItsContentChanged() throws Exception {
        String a = "cfg-" + UUID.randomUUID().toString().substring(0, 8);
        String b = "cfg-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = Files.createTempFile("node-config", ".json");
        Files.writeString(file, "[" + entry(a, 500) + "," + entry(b, 500) + ",{\"id\":\"broken\"}]");

        assertEquals(new NodeConfigImporter.Outcome(true, 2, 1), importer.importIfChanged(file));
        given().get("/admin/v1/nodes/" + a).then().statusCode(200).body("node.max_concurrent", is(500));
        given().get("/admin/v1/nodes/broken").then().statusCode(404);

        // the Admin API is the source of truth: an unchanged file does not undo an operator's change
        given().contentType(ContentType.JSON).body(entry(a, 800)).post("/admin/v1/nodes").then().statusCode(200);
        assertEquals(new NodeConfigImporter.Outcome(false, 0, 0), importer.importIfChanged(file));
        given().get("/admin/v1/nodes/" + a).then().body("node.max_concurrent", is(800));

        // an edited file is applied again
        Files.writeString(file, "[" + entry(a, 300) + "]");
        assertEquals(new NodeConfigImporter.Outcome(true, 1, 0), importer.importIfChanged(file));
        given().get("/admin/v1/nodes/" + a).then().body("node.max_concurrent", is(300));
        given().get("/admin/v1/nodes/" + b).then().statusCode(200);
    }

    @Test
    void anUnreadableOrMalformedFileChangesNothing() throws Exception {
        assertEquals(new NodeConfigImporter.Outcome(false, 0, 0), importer.importIfChanged(Path.of("/nonexistent/node-config.json")));
        Path file = Files.createTempFile("node-config", ".json");
        Files.writeString(file, "{\"id\":\"not-an-array\"}");
        assertEquals(new NodeConfigImporter.Outcome(false, 0, 0), importer.importIfChanged(file));
        given().get("/admin/v1/nodes/not-an-array").then().statusCode(404);
    }
}
