package io.gonkanode.api.proxy;

import io.gonkanode.api.RegistryOnlyResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@TestProfile(ApiKeyTest.WithKeys.class)
class ApiKeyTest {

    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gonka.api-keys", "key-one,key-two");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RegistryOnlyResource.class));
        }
    }

    static final String BODY = "{\"model\":\"m\",\"messages\":[]}";

    @Test
    void completionRoutesNeedOneOfTheKeys() {
        given().contentType(ContentType.JSON).body(BODY).post("/v1/chat/completions").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").body("error.code", is("invalid_api_key"));
        given().header("Authorization", "Bearer nope").contentType(ContentType.JSON).body(BODY).post("/v1/completions")
                .then().statusCode(401).body("error.message", is("Incorrect API key provided."));
        given().header("Authorization", "Bearer key-two").contentType(ContentType.JSON).body(BODY).post("/v1/chat/completions")
                .then().statusCode(404).body("error.code", is("model_not_found"));
    }

    @Test
    void theReadApiStaysOpen() {
        given().get("/v1/status").then().statusCode(200);
        given().get("/v1/models").then().statusCode(200);
    }
}
