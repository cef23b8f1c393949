package io.gonkanode.registry.dashboard;

import io.gonkanode.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** The dashboard's static page and the epoch routes it reads through the admin port. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class DashboardRoutesTest {

    @Test
    void thePageIsServedAtTheRootAndHoldsNoData() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script src=\"/dashboard.js\" defer></script>"))
                .body(containsString("id=\"node-rows\""));
        given().get("/dashboard.js").then().statusCode(200).body(containsString("/admin/v1/nodes"));
        given().get("/dashboard.css").then().statusCode(200);
    }

    @Test
    void theEpochRoutesSayWhenTheCollectorIsAwayAndCheckTheEpoch() {
        given().get("/admin/v1/epochs/latest").then().statusCode(502)
                .body("error", is("poc-collector did not answer at http://127.0.0.1:1"));
        given().get("/admin/v1/epochs/abc/participants").then().statusCode(400)
                .body("error", is("epoch must be a number or 'current', got 'abc'"));
        given().get("/admin/v1/epochs/3/participants").then().statusCode(502);
    }
}
