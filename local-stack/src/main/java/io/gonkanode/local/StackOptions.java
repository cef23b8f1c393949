package io.gonkanode.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** How to run the stack: ports, database, data folder, number of simulated ML nodes, epoch speed. */
public final class StackOptions {

    /** chain-sim's epoch parameters and block time. */
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
    /** Which chain the collector follows. */
    public enum Chain {
        /** chain-sim started with the stack, this host registered on it with its development keys (DATA_DIR/keys). */
        SIM,
        /** An external chain node at {@link #chainNodeUrl}, with {@link #accountPubkey} and {@link #warmKeyFile}. */
        EXTERNAL
    }

    public Chain chain = Chain.SIM;
    /**
     * chain-sim makes a block every block time; false: the caller makes them ({@code POST /sim/v1/blocks}), the stack
     * makes the first five so the services have a chain to follow, and the collector never calls it stale.
     */
    public boolean produceBlocks = true;
    /**
     * With blocks produced: the chain stays still after start() until {@link LocalStack#resumeChain()}, for a test
     * that registers its ML nodes itself before the first PoC (the collector does not call a held chain stale).
     */
    public boolean holdChain = false;
    public String chainNodeUrl;
    public int chainPort = 26657;
    /** Simulated peer hosts of chain-sim. */
    public int peers = 2;
    /** The warm key file (64 hex characters) for an external chain; chain-sim's runs keep theirs in DATA_DIR/keys. */
    public Path warmKeyFile;
    /** Base64 33-byte account key on an external chain; chain-sim's runs use the development key in DATA_DIR/keys. */
    public String accountPubkey;
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
