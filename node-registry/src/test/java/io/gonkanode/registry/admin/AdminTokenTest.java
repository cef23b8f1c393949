package io.gonkanode.registry.admin;

import io.gonkanode.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(AdminTokenTest.WithToken.class)
class AdminTokenTest {

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gonka.admin-token", "s3cret-token");
        }
    }

    @Test
    void adminAndInternalRoutesNeedTheBearerToken() {
        for (String path : new String[] {"/admin/v1/nodes", "/admin/v1/nodes/x", "/internal/v1/nodes"}) {
            given().get(path).then().statusCode(401).header("WWW-Authenticate", "Bearer realm=\"gonka-admin\"")
                    .body("error", is("missing admin token: send Authorization: Bearer <GONKA_ADMIN_TOKEN>"));
            given().header("Authorization", "Bearer wrong").get(path).then().statusCode(401)
                    .body("error", is("invalid admin token"));
        }
        given().header("Authorization", "Bearer wrong").contentType("application/json").body("{}")
                .post("/admin/v1/nodes").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").delete("/admin/v1/nodes/x").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/admin/v1/nodes/x/enable").then().statusCode(401);
    }

    @Test
    void theRightTokenIsLetThrough() {
        given().header("Authorization", "Bearer s3cret-token").get("/admin/v1/nodes").then().statusCode(200);
        given().header("Authorization", "bearer s3cret-token").get("/internal/v1/nodes").then().statusCode(200);
    }

    @Test
    void healthStaysOpenForProbes() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
