package io.gonkanode.registry.manager;

import io.gonkanode.testing.RecordingServer;

import java.util.HashMap;
import java.util.Map;

/** The manager profile with the PoC callbacks going to a recording server the test can inspect. */
public class SimProfile extends ManagerProfile {

    static final RecordingServer CALLBACKS = new RecordingServer();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("gonka.network.poc-callback-url", CALLBACKS.url());
        return config;
    }
}
