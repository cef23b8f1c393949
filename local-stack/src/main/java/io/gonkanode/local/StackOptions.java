package io.gonkanode.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** How to run the stack: ports, database, data folder, number of simulated ML nodes, epoch speed. */
public final class StackOptions {

    /** Chain timings of poc-collector. */
    public enum Epoch {
        /** A whole epoch with its PoC round in about two minutes (1 s blocks). */
        FAST,
        /** Mainnet's parameters since v0.2.10 with 6 s blocks: an epoch is about a day. */
        REALISTIC
    }

    public Path root = Path.of(".");
    public Path dataDir = Path.of(".local");
    public int mlnodes = 2;
    public String dbUrl;
    public String dbUser = "postgres";
    public String dbPassword = "postgres";
    public int dbPort = 54329;
    public int apiPort = 8000;
    public int registryPort = 9200;
    public int collectorPort = 9100;
    public int simPortBase = 8081;
    public int simInferencePortBase = 5001;
    public Epoch epoch = Epoch.FAST;
    public boolean registerSims = true;
    /** Where service output goes: the console with [name] prefixes, or null to write only log files. */
    public PrintStream console = System.out;
    /** Base64 33-byte account key; the default is a fixed development key. */
    public String accountPubkey = DevKey.BASE64;
    public String adminToken;
    /** Extra environment per service name (registry, collector, api, mlnode-N, or * for all). */
    public final Map<String, Map<String, String>> extraEnv = new LinkedHashMap<>();

    public StackOptions env(String service, String key, String value) {
        extraEnv.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    Map<String, String> extra(String service) {
        Map<String, String> out = new LinkedHashMap<>(extraEnv.getOrDefault("*", Map.of()));
        out.putAll(extraEnv.getOrDefault(service, Map.of()));
        return out;
    }
}
