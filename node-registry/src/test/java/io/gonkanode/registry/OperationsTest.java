package io.gonkanode.registry;

import io.gonkanode.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class OperationsTest {

    @Test
    void livenessAndReadinessAreUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem("Database connections health check"));
    }

    @Test
    void openApiDescribesEveryRouteWithExamples() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/admin/v1/nodes'.post.requestBody.content.'application/json'.examples.register", notNullValue())
                .body("paths.'/admin/v1/nodes'.get", notNullValue())
                .body("paths.'/admin/v1/nodes/batch'.post.responses.'206'", notNullValue())
                .body("paths.'/admin/v1/nodes/{id}'.put", notNullValue())
                .body("paths.'/admin/v1/nodes/{id}'.delete.responses.'200'.content.'application/json'.examples.deleted.value", is(true))
                .body("paths.'/admin/v1/nodes/{id}/enable'.post.responses.'404'", notNullValue())
                .body("paths.'/admin/v1/nodes/{id}/disable'.post", notNullValue())
                .body("paths.'/internal/v1/nodes'.get.responses.'304'", notNullValue())
                .body("paths.'/internal/v1/round'.put.requestBody.content.'application/json'.examples.generate", notNullValue())
                .body("paths.'/internal/v1/manager'.get", notNullValue());
    }

    @Test
    void metricsArePublishedForPrometheus() {
        given().get("/admin/v1/nodes").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds_count"));
    }
}
