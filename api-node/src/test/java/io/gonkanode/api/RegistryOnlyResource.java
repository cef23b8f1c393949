package io.gonkanode.api;

import io.gonkanode.testing.StubRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Only a stub registry (with no nodes): for tests that never reach an ML node. */
public class RegistryOnlyResource implements QuarkusTestResourceLifecycleManager {

    private StubRegistry registry;

    @Override
    public Map<String, String> start() {
        registry = new StubRegistry();
        return Map.of("gonka.registry.url", registry.url(), "gonka.registry.refresh-interval", "100ms");
    }

    @Override
    public void stop() {
        registry.close();
    }
}
