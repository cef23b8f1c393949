package io.gonkanode.api;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.testing.Sims;
import io.gonkanode.testing.StubRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official OpenAI Java SDK against the packaged api-node, streaming and not. */
class OpenAiSdkIT {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    @Test
    void theOfficialSdkWorksStreamingAndNot() throws Exception {
        int mgmt = ServiceProcess.freePort();
        int inf = ServiceProcess.freePort();
        try (StubRegistry registry = new StubRegistry();
             ServiceProcess sim = Sims.start("sdk-sim", mgmt, inf, Map.of("SIM_MODELS", MODEL, "SIM_AUTO_START_MODEL", MODEL))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> io.restassured.RestAssured.given().baseUri(sim.url())
                    .get("/api/v1/state").then().extract().path("state").equals("INFERENCE"));
            registry.nodes(List.of(StubRegistry.Node.serving("sdk-sim", 1, mgmt, inf, MODEL)));
            try (ServiceProcess api = ServiceProcess.builder("api-node", Path.of("target", "quarkus-app", "quarkus-run.jar"))
                    .env("NODE_REGISTRY_URL", registry.url())
                    .env("GONKA_REGISTRY_REFRESH_INTERVAL", "200ms")
                    .build().start(Duration.ofSeconds(60))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> io.restassured.RestAssured.given().baseUri(api.url())
                        .get("/v1/models").then().extract().path("data.size()").equals(1));
                OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(api.url() + "/v1").apiKey("unused").build();
                ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                        .model(MODEL).addUserMessage("Say hello").maxCompletionTokens(6).build();

                ChatCompletion completion = client.chat().completions().create(params);
                assertEquals(MODEL, completion.model());
                String text = completion.choices().get(0).message().content().orElse("");
                assertFalse(text.isBlank());
                assertEquals(6, completion.usage().orElseThrow().completionTokens());

                StringBuilder streamed = new StringBuilder();
                int chunks = 0;
                try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
                    for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                        chunks++;
                        chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append));
                    }
                }
                assertTrue(chunks >= 6, "chunks: " + chunks);
                assertEquals(text, streamed.toString(), "the same seedless prompt gives the same text streamed and not");
            }
        }
    }
}
