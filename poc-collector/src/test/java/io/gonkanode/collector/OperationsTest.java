package io.gonkanode.collector;

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
@QuarkusTestResource(StubRegistryResource.class)
class OperationsTest {

    @Test
    void healthOpenApiAndMetrics() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        // no chain node in this test: not ready, saying so (Main refuses to start a packaged collector without one)
        given().get("/q/health/ready").then().statusCode(503).body("checks.name", hasItem("Database connections health check"))
                .body("checks.find { it.name == 'chain' }.data.reason", is("poc-collector does not follow a chain node "
                        + "(DAPI_CHAIN_NODE__URL is not set)"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v2/poc-batches/{model}/generated'.post.requestBody.content.'application/json'.examples.batch", notNullValue())
                .body("paths.'/v2/poc-batches/{model}/validated'.post", notNullValue())
                .body("paths.'/v1/epochs/latest'.get", notNullValue())
                .body("paths.'/v1/epochs/{epoch}/participants'.get.responses.'200'", notNullValue());
        given().body("{}").post("/v2/poc-batches/m/generated").then().statusCode(400);
        given().get("/q/metrics").then().statusCode(200).body(containsString("collector_batch_seconds"))
                .body(org.hamcrest.Matchers.matchesPattern("(?s).*\ncollector_batches_rejected_total\\{reason=\"malformed\"} [1-9][0-9]*\\.0\n.*"));
    }

    @Test
    void theLatestEpochHasUpstreamsShape() {
        given().get("/v1/epochs/latest").then().statusCode(200)
                .body("block_height", notNullValue())
                .body("phase", notNullValue())
                .body("epoch_params.epoch_length", is(120))
                .body("next_epoch_stages.poc_generation_wind_down", notNullValue())
                .body("is_confirmation_poc_active", is(false));
        given().get("/v1/epochs/41").then().statusCode(400)
                .body("error", is("Only getting info for current epoch is supported at the moment"));
    }
}
