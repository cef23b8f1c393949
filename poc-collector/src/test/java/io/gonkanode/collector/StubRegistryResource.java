package io.gonkanode.collector;

import io.gonkanode.testing.StubRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the collector at a stub node-registry the test controls. */
public class StubRegistryResource implements QuarkusTestResourceLifecycleManager {

    static volatile StubRegistry registry;

    @Override
    public Map<String, String> start() {
        registry = new StubRegistry();
        return Map.of("gonka.registry.url", registry.url());
    }

    public static StubRegistry registry() {
        return registry;
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close();
        }
    }
}
