package io.gonkanode.api;

import io.gonkanode.local.ServiceProcess;
import io.gonkanode.testing.Sims;
import io.gonkanode.testing.StubRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Three simulated ML nodes serving {@link #MODEL} (streaming 20 tokens a second) and a stub registry whose
 * view the test sets, around the api-node under test.
 */
public class FleetResource implements QuarkusTestResourceLifecycleManager {

    public static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    static StubRegistry registry;
    static final List<Sims.Sim> SIMS = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        registry = new StubRegistry();
        for (int i = 0; i < 3; i++) {
            SIMS.add(Sims.start("sim-" + i, Map.of("SIM_MODELS", MODEL, "SIM_AUTO_START_MODEL", MODEL,
                    "SIM_TOKENS_PER_SECOND", "20", "SIM_COMPLETION_TOKENS", "64")));
        }
        for (Sims.Sim sim : SIMS) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    io.restassured.RestAssured.given().baseUri(sim.url()).get("/api/v1/state").then().extract().path("state")
                            .equals("INFERENCE"));
        }
        return Map.of(
                "gonka.registry.url", registry.url(),
                "gonka.registry.refresh-interval", "100ms",
                "gonka.routing.suspension", "1s",
                "gonka.routing.queue-timeout", "1s",
                // a node that accepts a request and never answers fails it after this (upstream waits 1200 s)
                "gonka.routing.idle-timeout", "5s");
    }

    public static StubRegistry registry() {
        return registry;
    }

    public static List<Sims.Sim> sims() {
        return SIMS;
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close(); // first: api-node stops routing to the nodes before they go
        }
        Sims.stopAll(SIMS);
    }
}
