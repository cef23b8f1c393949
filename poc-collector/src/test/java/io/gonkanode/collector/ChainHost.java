package io.gonkanode.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.local.Database;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.poc.ArtifactVectors;
import io.gonkanode.protocol.smst.Smst;
import io.gonkanode.testing.Sims;
import io.gonkanode.testing.StubRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * This host on chain-sim, for the tests of what the collector sends and serves: a chain-sim (blocks made one at a
 * time) that knows the host's test keys (writes spec §10.4) and grants, and the packaged collector signing with the
 * warm key, its queue and commit cadence quick. The test plays the ML nodes ({@link #post}) and moves the chain.
 */
public final class ChainHost implements AutoCloseable {

    public static final String QWEN = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    public static final SigningKey COLD = key("gonka-java-test-cold-key");
    public static final SigningKey WARM = key("gonka-java-test-warm-key");

    public final Database db;
    public final StubRegistry registry;
    public final ServiceProcess chain;
    public final ServiceProcess collector;
    public final HttpClient http = HttpClient.newHttpClient();
    public final ObjectMapper json = new ObjectMapper();
    /** Every artifact posted, first occurrence of a nonce only, in arrival order per stage. */
    private final Map<Long, List<Smst.Leaf>> posted = new java.util.HashMap<>();

    /** Starts both; {@code chainEnv} adds to chain-sim's settings (e.g. SIM_CHAIN_PEERS), {@code collectorEnv} to the collector's. */
    public ChainHost(Path dir, Map<String, String> chainEnv, Map<String, String> collectorEnv) throws IOException {
        this(dir, chainEnv, collectorEnv, List.of(StubRegistry.Node.serving("gpu-a", 1, 8080, 5000, QWEN),
                StubRegistry.Node.serving("gpu-b", 2, 8080, 5000, QWEN)));
    }

    /** ... with these ML nodes in the registry's view (real ones, e.g. mlnode-sim, where their work matters). */
    public ChainHost(Path dir, Map<String, String> chainEnv, Map<String, String> collectorEnv, List<StubRegistry.Node> nodes)
            throws IOException {
        Path keyFile = dir.resolve("warm.key");
        Files.writeString(keyFile, HexFormat.of().formatHex(Hashes.sha256("gonka-java-test-warm-key".getBytes(StandardCharsets.US_ASCII))));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        int collectorPort = ServiceProcess.freePort();
        db = Database.forTests();
        registry = new StubRegistry();
        registry.nodes(nodes);
        chain = ServiceProcess.builder("chain-sim", Sims.packaged("chain-sim")).port(ServiceProcess.freePort()).readinessPath("/health")
                .env("SIM_CHAIN_PRODUCE_BLOCKS", "false").env("SIM_CHAIN_PEERS", "0")
                .env("ACCOUNT_PUBKEY", Base64.getEncoder().encodeToString(COLD.publicKey()))
                .env("SIM_CHAIN_WARM_PUBKEY", Base64.getEncoder().encodeToString(WARM.publicKey()))
                .env("PUBLIC_URL", "http://127.0.0.1:" + collectorPort).env(chainEnv)
                .build().start(Duration.ofSeconds(60));
        stepTo(5);
        collector = ServiceProcess.builder("poc-collector", Path.of("target", "quarkus-app", "quarkus-run.jar")).port(collectorPort)
                .env(db.environment()).env("NODE_REGISTRY_URL", registry.url())
                .env("ACCOUNT_PUBKEY", Base64.getEncoder().encodeToString(COLD.publicKey()))
                .env("GONKA_WARM_KEY_FILE", keyFile.toString()).env("DAPI_CHAIN_NODE__URL", chain.url())
                .env("GONKA_CHAIN_STALE_AFTER", "1h").env("GONKA_TX_RETRY_DELAY", "100ms").env("GONKA_TX_OBSERVE_INTERVAL", "100ms")
                .env("GONKA_POC_COMMIT_INTERVAL", "1s").env("GONKA_CALLBACK_ALLOWED_SOURCES", "any")
                .env("DAPI_API__POC_CALLBACK_URL", "http://127.0.0.1:" + collectorPort).env(collectorEnv)
                .build().start(Duration.ofSeconds(60));
    }

    /** The test keyring (src/test/resources/keyring/ascii) as the node container leaves it: root's files, mode 600. */
    public static Path copyKeyring(Path target) throws Exception {
        Path source = Path.of(ChainHost.class.getResource("/keyring/ascii/keyring-file/gonka-warm.info").toURI());
        Path entry = target.resolve("keyring-file").resolve("gonka-warm.info");
        Files.createDirectories(entry.getParent());
        Files.copy(source, entry);
        Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-------"));
        return target;
    }

    private static SigningKey key(String seed) {
        return SigningKey.of(Hashes.sha256(seed.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The nonces {@code from .. from+n-1}. */
    public static int[] batch(int from, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = from + i;
        }
        return out;
    }

    /** Posts a batch of honest artifacts (the simulated ML nodes' vectors) as ML node {@code node} would for the stage; 200 expected. */
    public void post(long stage, int node, int[] nonces) throws Exception {
        post(stage, node, nonces, blockHash(stage));
    }

    /** The hash of a block as chain-sim's RPC prints it. */
    public String blockHash(long height) throws IOException {
        return json.readTree(get(chain.url() + "/block?height=" + height).body()).path("result").path("block_id").path("hash").asText();
    }

    /** ... for a stage whose seed is {@code hash} (a confirmation PoC's: the event's {@code poc_seed_block_hash}). */
    public void post(long stage, int node, int[] nonces, String hash) throws Exception {
        ObjectNode body = json.createObjectNode().put("block_hash", hash).put("block_height", stage).put("public_key", COLD.publicKeyHex())
                .put("node_id", node);
        ArrayNode list = body.putArray("artifacts");
        List<Smst.Leaf> leaves = posted.computeIfAbsent(stage, s -> new ArrayList<>());
        for (int nonce : nonces) {
            byte[] vector = ArtifactVectors.encode(ArtifactVectors.honest(hash, COLD.publicKeyHex(), nonce, QWEN, 1024));
            list.addObject().put("nonce", nonce).put("vector_b64", Base64.getEncoder().encodeToString(vector));
            if (leaves.stream().noneMatch(l -> l.nonce() == nonce)) {
                leaves.add(new Smst.Leaf(nonce, vector));
            }
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(collector.url() + "/v2/poc-batches/"
                        + QWEN.replace("/", "%252F") + "/generated")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** The reference tree of the first {@code count} artifacts posted for the stage. */
    public Smst tree(long stage, int count) {
        return Smst.of(posted.get(stage), count);
    }

    /**
     * The included tx chain-sim logged that matches; a block is made whenever the collector has a tx of the purpose in
     * the mempool (sent, CheckTx passed, not yet in a block), so the chain moves only as fast as the collector.
     */
    public JsonNode awaitOnChain(String purpose, Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<String> included = new ArrayList<>();
            for (JsonNode tx : chainTxs()) {
                if (tx.path("height").asLong() > 0 && match.test(tx)) {
                    assertEquals(0, tx.path("code").asInt(), tx.toString());
                    found[0] = tx;
                    return true;
                }
                included.add(tx.path("hash").asText());
            }
            for (JsonNode t : txs().path("txs")) {
                if (t.path("purpose").asText().startsWith(purpose) && t.path("status").asText().equals("SENT") && t.path("code").isNumber()
                        && !included.contains(t.path("tx_hash").asText())) {
                    step();
                    break;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Makes blocks, one at a time after the peers' work on the last, until chain-sim included a matching tx. */
    public JsonNode stepUntilOnChain(Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode tx : chainTxs()) {
                if (tx.path("height").asLong() > 0 && match.test(tx)) {
                    found[0] = tx;
                    return true;
                }
            }
            if (json.readTree(get(chain.url() + "/sim/v1/peers").body()).path("busy").asInt() == 0) {
                step();
            }
            return false;
        });
        return found[0];
    }

    /** The collector's tx with this purpose once it has this status and matches. */
    public JsonNode awaitTx(String purpose, String status, Predicate<JsonNode> and) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode tx : txs().path("txs")) {
                if (purpose.equals(tx.path("purpose").asText()) && status.equals(tx.path("status").asText()) && and.test(tx)) {
                    found[0] = tx;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    public JsonNode txs() throws Exception {
        return json.readTree(get(collector.url() + "/v1/chain/txs").body());
    }

    /** chain-sim's tx log: every tx it checked, with its height (0: refused at CheckTx), code and messages as JSON. */
    public JsonNode chainTxs() throws Exception {
        return json.readTree(get(chain.url() + "/sim/v1/txs").body());
    }

    public void awaitProcessed(long height) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> json.readTree(get(collector.url() + "/v1/chain/status").body()).path("processed_height").asLong() >= height);
    }

    public long height() throws Exception {
        return json.readTree(get(chain.url() + "/sim/v1/state").body()).path("height").asLong();
    }

    public void stepTo(long height) {
        try {
            while (height() < height) {
                step();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void step() throws Exception {
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(chain.url() + "/sim/v1/blocks?n=1"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    public void put(String url, String body) throws Exception {
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    public HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> postJson(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        collector.kill();
        chain.close();
        registry.close();
        db.close();
    }
}
