package io.gonkanode.collector;

import io.gonkanode.local.ServiceProcess;
import io.gonkanode.testing.Sims;
import io.gonkanode.local.Database;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real node-registry process and four mlnode-sim processes around the collector under test: two honest
 * nodes, one whose callbacks never arrive (a broken validator) and one cheater.
 */
public class RoundStackResource implements QuarkusTestResourceLifecycleManager {

    public static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    public static final String PUBKEY = "AgOaIoGHIEb2t+Uj/iYPzWpVxgUfgPKKyLxH1mjm1nxC";

    static Database registryDb;
    static ServiceProcess registry;
    static final List<Sims.Sim> SIMS = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        int collectorPort = ServiceProcess.freePort();
        registryDb = Database.forTests();
        registry = ServiceProcess.builder("node-registry", Sims.packaged("node-registry"))
                .env(registryDb.environment())
                .env("ACCOUNT_PUBKEY", PUBKEY)
                .env("DAPI_API__POC_CALLBACK_URL", "http://127.0.0.1:" + collectorPort)
                .env("GONKA_MANAGER_POLL_INTERVAL", "500ms")
                .build().start(Duration.ofSeconds(90));
        String[][] sims = {{"honest-1", ""}, {"mute", "SIM_FAULT_NO_CALLBACKS"}, {"honest-2", ""}, {"cheater", "SIM_FAULT_CHEATER"}};
        for (String[] s : sims) {
            Map<String, String> env = s[1].isEmpty() ? Map.of("SIM_MODELS", MODEL) : Map.of("SIM_MODELS", MODEL, s[1], "true");
            SIMS.add(Sims.start(s[0], env));
        }
        return Map.of(
                "quarkus.http.test-port", Integer.toString(collectorPort),
                "gonka.registry.url", registry.url(),
                "gonka.network.poc-callback-url", "http://127.0.0.1:" + collectorPort,
                "gonka.network.account-pubkey", PUBKEY);
    }

    public static String registryUrl() {
        return registry.url();
    }

    public static List<Sims.Sim> sims() {
        return SIMS;
    }

    @Override
    public void stop() {
        Sims.stopAll(SIMS);
        if (registry != null) {
            registry.stop();
        }
        if (registryDb != null) {
            registryDb.close();
        }
    }
}
