package io.gonkanode.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole network node on one machine: chain-sim (or an external chain node), PostgreSQL, node-registry,
 * poc-collector, api-node and N simulated ML nodes with stable ids (mlnode-1 ...), started from the packaged jars. {@code deploy/local/up} runs it
 * for people; the system tests run it the same way.
 */
public final class LocalStack implements AutoCloseable {

    public static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    private final StackOptions o;
    private Database db;
    private ServiceProcess chain;
    private ServiceProcess registry;
    private ServiceProcess collector;
    private ServiceProcess api;
    private final List<ServiceProcess> sims = new ArrayList<>();
    private String accountPubkey;

    public LocalStack(StackOptions options) {
        this.o = options;
    }

    private Path jar(String module) {
        Path jar = o.root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw package -DskipTests");
        }
        return jar;
    }

    /** A service of the stack: the local run's heap and collector ({@link ServiceProcess#SERVICE_JVM_OPTIONS}), output to its log (and the console unless --quiet). */
    private ServiceProcess process(String name, Path jar, int port, String readinessPath, Map<String, String> env) {
        return ServiceProcess.builder(name, jar).port(port).readinessPath(readinessPath).env(env)
                .jvmOptions(ServiceProcess.SERVICE_JVM_OPTIONS.toArray(String[]::new)).logFile(log(name)).console(o.console).build();
    }

    private Path log(String name) {
        return o.dataDir.resolve("logs").resolve(name + ".log");
    }

    public LocalStack start() {
        String account = o.accountPubkey;
        String chainUrl = null;
        Path warmKeyFile = o.warmKeyFile;
        if (o.chain == StackOptions.Chain.EXTERNAL) {
            if (o.chainNodeUrl == null || o.chainNodeUrl.isBlank() || account == null || warmKeyFile == null) {
                throw new IllegalArgumentException("an external chain node needs --chain-node-url, --account-pubkey and --warm-key-file");
            }
            WarmKeyFile.check(warmKeyFile);
            chainUrl = o.chainNodeUrl;
        } else {
            DevKeys keys = DevKeys.in(o.dataDir);
            account = keys.coldPublic;
            warmKeyFile = keys.warmKeyFile;
            chainUrl = "http://127.0.0.1:" + o.chainPort;
            chain = process("chain-sim", jar("chain-sim"), o.chainPort, "/health", chainSimEnv(keys));
            chain.start();
        }
        accountPubkey = account;
        db = o.dbUrl == null || o.dbUrl.isBlank() ? Database.embedded(o.dataDir.resolve("postgres"), o.dbPort, o.dbPassword)
                : Database.external(o.dbUrl, o.dbUser, o.dbPassword);
        if (chain != null) {
            forgetThePreviousChain();
        }
        String callback = "http://127.0.0.1:" + o.collectorPort;
        Map<String, String> common = new LinkedHashMap<>(db.environment());
        common.put("ACCOUNT_PUBKEY", account);
        // no GONKA_CALLBACK_TOKEN: node-registry generates and keeps one and hands it to the ML nodes, as in a deployment
        if (o.adminToken != null && !o.adminToken.isBlank()) {
            common.put("GONKA_ADMIN_TOKEN", o.adminToken);
        }

        Map<String, String> registryEnv = new LinkedHashMap<>(common);
        registryEnv.put("DAPI_API__POC_CALLBACK_URL", callback);
        registryEnv.put("POC_COLLECTOR_URL", callback);
        registryEnv.putAll(o.extra("registry"));
        registry = process("registry", jar("node-registry"), o.registryPort, "/q/health/ready", registryEnv);

        Map<String, String> collectorEnv = new LinkedHashMap<>(common);
        collectorEnv.put("NODE_REGISTRY_URL", "http://127.0.0.1:" + o.registryPort);
        collectorEnv.put("DAPI_API__POC_CALLBACK_URL", callback);
        collectorEnv.put("DAPI_API__PUBLIC_URL", "http://localhost:" + o.apiPort);
        collectorEnv.put("DAPI_CHAIN_NODE__URL", chainUrl);
        collectorEnv.put("GONKA_WARM_KEY_FILE", warmKeyFile.toAbsolutePath().toString());
        if (chain != null && (!o.produceBlocks || o.holdChain)) {
            collectorEnv.put("GONKA_CHAIN_STALE_AFTER", "1h");
        }
        collectorEnv.putAll(o.extra("collector"));
        collector = process("collector", jar("poc-collector"), o.collectorPort, "/q/health/ready", collectorEnv);

        Map<String, String> apiEnv = new LinkedHashMap<>();
        apiEnv.put("NODE_REGISTRY_URL", "http://127.0.0.1:" + o.registryPort);
        apiEnv.put("POC_COLLECTOR_URL", callback);
        if (o.adminToken != null && !o.adminToken.isBlank()) {
            apiEnv.put("GONKA_ADMIN_TOKEN", o.adminToken);
        }
        apiEnv.putAll(o.extra("api"));
        api = process("api", jar("api-node"), o.apiPort, "/q/health/ready", apiEnv);

        for (int i = 1; i <= o.mlnodes; i++) {
            Map<String, String> simEnv = new LinkedHashMap<>();
            simEnv.put("SIM_INFERENCE_PORT", Integer.toString(o.simInferencePortBase + i - 1));
            simEnv.put("SIM_INFERENCE_UP_DELAY", "1s");
            if (o.epoch != StackOptions.Epoch.REALISTIC) {
                // a fast epoch's validation lasts 30 one-second blocks: every host's 200-leaf sample must be recomputed in it
                simEnv.put("SIM_NONCES_PER_MINUTE", "12000");
            }
            simEnv.putAll(o.extra("mlnode"));
            simEnv.putAll(o.extra("mlnode-" + i));
            sims.add(process("mlnode-" + i, jar("mlnode-sim"), o.simPortBase + i - 1, "/api/v1/state", simEnv));
        }

        // boot in parallel: the JVMs start together, then each is awaited (the collector follows the chain once it has blocks)
        // A producing chain-sim is held still while the services boot, so the stack's ML nodes (or, with holdChain, the
        // test's) are registered before the chain reaches its first PoC (block 20 of the fast epochs), however long the
        // boot takes on a busy machine.
        boolean hold = chain != null && o.produceBlocks && (o.holdChain || o.registerSims && !sims.isEmpty());
        if (chain != null) {
            chain.awaitReady(Duration.ofSeconds(180));
            if (hold) {
                pauseChain(true);
            }
            if (!o.produceBlocks || hold) {
                long height = chainHeight();
                if (height < 5) {
                    makeBlocks((int) (5 - height));
                }
            }
        }
        registry.start();
        collector.start();
        api.start();
        sims.forEach(ServiceProcess::start);
        Duration boot = Duration.ofSeconds(180);
        registry.awaitReady(boot);
        if (hold && o.registerSims) {
            // registering needs only the registry: the node manager brings each ML node up once it answers
            for (int i = 1; i <= sims.size(); i++) {
                registerSim(i);
            }
        }
        if (hold && !o.holdChain) {
            pauseChain(false);
        }
        collector.awaitReady(boot);
        sims.forEach(s -> s.awaitReady(boot));
        if (o.registerSims && !hold) {
            for (int i = 1; i <= sims.size(); i++) {
                registerSim(i);
            }
        }
        api.awaitReady(boot);
        return this;
    }

    /** chain-sim makes {@code n} blocks now (with {@link StackOptions#produceBlocks} off, the only way the chain moves). */
    public void makeBlocks(int n) {
        if (chain == null) {
            throw new IllegalStateException("no chain-sim in this stack: it follows " + o.chainNodeUrl);
        }
        makeBlocks(chain.url(), n);
    }

    /** The chain-sim at {@code chainSimUrl} makes {@code n} blocks now. */
    public static void makeBlocks(String chainSimUrl, long n) {
        send(HttpRequest.newBuilder(URI.create(chainSimUrl + "/sim/v1/blocks?n=" + n)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), "chain-sim made no blocks");
    }

    /** Lets a chain held by {@link StackOptions#holdChain} make its blocks again. */
    public void resumeChain() {
        pauseChain(false);
    }

    private void pauseChain(boolean paused) {
        send(HttpRequest.newBuilder(URI.create(chain.url() + "/sim/v1/faults")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"paused\": " + paused + "}")).build(), "chain-sim did not " + (paused ? "pause" : "resume"));
    }

    private long chainHeight() {
        String body = send(HttpRequest.newBuilder(URI.create(chain.url() + "/sim/v1/state")).GET().build(), "chain-sim's state");
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("height").asLong(0);
        } catch (IOException e) {
            throw new IllegalStateException("chain-sim's state is not JSON: " + body, e);
        }
    }

    /** Sends a request to a service of the stack; anything but a 200 is an IllegalStateException starting with {@code what}. */
    private static String send(HttpRequest request, String what) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(what + ": " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** This host's account (cold) public key, base64, once started. */
    public String accountPubkey() {
        return accountPubkey;
    }

    /** Registers simulated node {@code i} through the Admin API, as an operator would (an upsert: same id, same node_num). */
    public void registerSim(int i) {
        String body = """
                {"id": "mlnode-%d", "host": "127.0.0.1", "inference_port": %d, "poc_port": %d, "max_concurrent": 16,
                 "models": {"%s": {"args": []}}}""".formatted(i, o.simInferencePortBase + i - 1, o.simPortBase + i - 1, MODEL);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + "/admin/v1/nodes"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (o.adminToken != null && !o.adminToken.isBlank()) {
            request.header("Authorization", "Bearer " + o.adminToken);
        }
        send(request.build(), "registering mlnode-" + i + " failed");
    }

    /**
     * chain-sim with this host registered (cold and warm development keys, its public URL), its default peers and the
     * run's epoch speed.
     */
    private Map<String, String> chainSimEnv(DevKeys keys) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ACCOUNT_PUBKEY", keys.coldPublic);
        env.put("SIM_CHAIN_WARM_PUBKEY", keys.warmPublic);
        env.put("PUBLIC_URL", "http://localhost:" + o.apiPort);
        env.put("SIM_CHAIN_PEERS", Integer.toString(o.peers));
        env.put("SIM_CHAIN_EPOCH", o.epoch == StackOptions.Epoch.REALISTIC ? "mainnet" : "fast");
        env.put("SIM_CHAIN_BLOCK_TIME", o.epoch == StackOptions.Epoch.REALISTIC ? "6s" : "1s");
        env.put("SIM_CHAIN_PRODUCE_BLOCKS", Boolean.toString(o.produceBlocks));
        env.putAll(o.extra("chain-sim"));
        return env;
    }

    /**
     * chain-sim keeps its chain in memory, so every start is a new chain from genesis: what this host derived from the
     * previous one (the collector's PoC data, the registry's round, chain view and the epochs nodes were enabled in)
     * is cleared; the nodes themselves stay.
     */
    private void forgetThePreviousChain() {
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("""
                    DO $$ BEGIN
                      IF to_regclass('registry.node') IS NOT NULL THEN UPDATE registry.node SET admin_epoch = 0; END IF;
                      IF to_regclass('registry.round') IS NOT NULL THEN DELETE FROM registry.round; END IF;
                      IF to_regclass('registry.chain_view') IS NOT NULL THEN DELETE FROM registry.chain_view; END IF;
                    END $$""");
            s.execute("DROP SCHEMA IF EXISTS poc CASCADE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot clear the previous chain's data: " + e.getMessage(), e);
        }
    }

    public ServiceProcess chain() {
        return chain;
    }

    public ServiceProcess registry() {
        return registry;
    }

    public ServiceProcess collector() {
        return collector;
    }

    public ServiceProcess api() {
        return api;
    }

    public List<ServiceProcess> sims() {
        return sims;
    }

    public Database database() {
        return db;
    }

    /** What an operator sees once the stack is up. */
    public String banner() {
        StringBuilder sb = new StringBuilder();
        sb.append("\nGonka network node is up (").append(o.epoch.name().toLowerCase()).append(" epochs, data in ")
                .append(o.dataDir.toAbsolutePath()).append(")\n\n");
        sb.append(String.format("  api-node       http://localhost:%d   (OpenAI-compatible inference, /v1/epochs/...)%n", o.apiPort));
        sb.append(String.format("  node-registry  http://localhost:%d   (Admin API)%n", o.registryPort));
        sb.append(String.format("  poc-collector  http://localhost:%d   (PoC callbacks)%n", o.collectorPort));
        if (chain != null) {
            sb.append(String.format("  chain-sim      http://localhost:%d  (the chain: CometBFT RPC, %d simulated peer hosts; keys in %s)%n",
                    o.chainPort, o.peers, o.dataDir.resolve("keys").toAbsolutePath()));
        } else if (o.chain == StackOptions.Chain.EXTERNAL) {
            sb.append(String.format("  chain node     %s%n", o.chainNodeUrl));
        }
        for (int i = 0; i < sims.size(); i++) {
            sb.append(String.format("  mlnode-%d       http://localhost:%d   (simulated ML node; inference on %d)%n", i + 1,
                    o.simPortBase + i, o.simInferencePortBase + i));
        }
        sb.append(String.format("%nTry:%n  # register an ML node (real ones too: their host, inference_port, poc_port)%n"
                + "  curl -X POST http://localhost:%d/admin/v1/nodes -H 'Content-Type: application/json' -d '{\"id\": \"node1\", "
                + "\"host\": \"10.0.0.21\", \"inference_port\": 5050, \"poc_port\": 8080, \"max_concurrent\": 500, \"models\": "
                + "{\"%s\": {\"args\": []}}}'%n", o.registryPort, MODEL));
        sb.append(String.format("  # list the nodes and their state%n  curl http://localhost:%d/admin/v1/nodes%n", o.registryPort));
        sb.append(String.format("  # chat%n  curl http://localhost:%d/v1/chat/completions -H 'Content-Type: application/json' "
                + "-d '{\"model\": \"%s\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}'%n", o.apiPort, MODEL));
        sb.append(String.format("  # the chain's weights after the first PoC round%n  curl http://localhost:%d/v1/epochs/current/participants%n", o.apiPort));
        sb.append("\nCtrl-C stops everything.\n");
        return sb.toString();
    }

    /** Stops every process (ML nodes first, the database last). */
    @Override
    public void close() {
        List<ServiceProcess> order = new ArrayList<>(sims);
        order.add(api);
        order.add(collector);
        order.add(registry);
        order.add(chain);
        for (ServiceProcess p : order) {
            if (p != null) {
                p.stop();
            }
        }
        if (db != null) {
            db.close();
        }
    }
}
