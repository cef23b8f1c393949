package io.gonkanode.collector.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.local.Database;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.smst.Smst;
import io.gonkanode.testing.Sims;
import io.gonkanode.testing.StubRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.Random;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PoC v2 commitments on chain-sim (blocks made one at a time): artifacts posted by two ML nodes during epoch 1's
 * generation are committed as they grow, each commit's root the SMST of exactly the artifacts stored before it (a
 * resent batch counts once); a collector killed between two commits rebuilds its tree from PostgreSQL and commits
 * the right root; once the window closes, the weight distribution splits the included count over the nodes, under
 * their registry ids, and sums to it.
 */
class CommitIT {

    static final String QWEN = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final SigningKey COLD = SigningKey.of(Hashes.sha256("gonka-java-test-cold-key".getBytes(StandardCharsets.US_ASCII)));
    static final SigningKey WARM = SigningKey.of(Hashes.sha256("gonka-java-test-warm-key".getBytes(StandardCharsets.US_ASCII)));
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    final Random random = new Random(7);
    final List<Smst.Leaf> stored = new ArrayList<>();

    @TempDir
    Path dir;

    @Test
    void commitsFollowTheStoreAndTheDistributionSplitsTheIncludedCount() throws Exception {
        Path keyFile = dir.resolve("warm.key");
        Files.writeString(keyFile, HexFormat.of().formatHex(Hashes.sha256("gonka-java-test-warm-key".getBytes(StandardCharsets.US_ASCII))));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        try (Database db = Database.forTests(); StubRegistry registry = new StubRegistry();
             ServiceProcess chain = ServiceProcess.builder("chain-sim", Sims.packaged("chain-sim")).port(ServiceProcess.freePort())
                     .readinessPath("/health").env("SIM_CHAIN_PRODUCE_BLOCKS", "false").env("SIM_CHAIN_PEERS", "0")
                     .env("ACCOUNT_PUBKEY", Base64.getEncoder().encodeToString(COLD.publicKey()))
                     .env("SIM_CHAIN_WARM_PUBKEY", Base64.getEncoder().encodeToString(WARM.publicKey()))
                     .build().start(Duration.ofSeconds(60))) {
            registry.nodes(List.of(StubRegistry.Node.serving("gpu-a", 1, 8080, 5000, QWEN), StubRegistry.Node.serving("gpu-b", 2, 8080, 5000, QWEN)));
            stepTo(chain, 5);
            ServiceProcess collector = ServiceProcess.builder("poc-collector", Path.of("target", "quarkus-app", "quarkus-run.jar"))
                    .port(ServiceProcess.freePort()).env(db.environment()).env("NODE_REGISTRY_URL", registry.url())
                    .env("ACCOUNT_PUBKEY", Base64.getEncoder().encodeToString(COLD.publicKey()))
                    .env("GONKA_WARM_KEY_FILE", keyFile.toString()).env("DAPI_CHAIN_NODE__URL", chain.url())
                    .env("GONKA_CHAIN_STALE_AFTER", "1h").env("GONKA_TX_RETRY_DELAY", "100ms").env("GONKA_TX_OBSERVE_INTERVAL", "100ms")
                    .env("GONKA_POC_COMMIT_INTERVAL", "100ms").env("GONKA_TX_INTERVAL", "100ms").env("GONKA_CALLBACK_ALLOWED_SOURCES", "any")
                    .build().start(Duration.ofSeconds(60));
            try {
                stepTo(chain, 21); // epoch 1's PoC start is 20; its commit window [21, 40]
                String hash = json.readTree(get(chain.url() + "/block?height=20").body()).path("result").path("block_id").path("hash").asText();
                awaitProcessed(collector, 21);

                post(collector, hash, 1, batch(0, 120));
                String first = awaitIncludedCommit(chain, collector, 120);
                assertEquals(root(120), first, "the root of the 120 stored artifacts");

                // node 2 posts, node 1 resends a batch whose answer it missed: only the new artifacts count
                List<int[]> resent = batch(0, 40);
                post(collector, hash, 2, batch(5_000, 80));
                post(collector, hash, 1, resent);
                assertEquals(root(200), awaitIncludedCommit(chain, collector, 200));

                // killed between commits: the tree comes back from PostgreSQL
                collector.kill();
                collector.start(Duration.ofSeconds(60));
                post(collector, hash, 2, batch(9_000, 50));
                assertEquals(root(250), awaitIncludedCommit(chain, collector, 250));

                // the window closes at 40: the distribution follows, summing to the included count
                stepTo(chain, 41);
                JsonNode distribution = awaitOnChain(chain, collector, "distribution:", t -> t.toString().contains("MsgMLNodeWeightDistribution"));
                JsonNode entry = distribution.findValue("entries").get(0);
                assertEquals(QWEN, entry.path("model_id").asText());
                long a = 0;
                long b = 0;
                for (JsonNode w : entry.path("weights")) {
                    if (w.path("node_id").asText().equals("gpu-a")) {
                        a = w.path("weight").asLong();
                    } else if (w.path("node_id").asText().equals("gpu-b")) {
                        b = w.path("weight").asLong();
                    }
                }
                assertEquals(120, a, distribution.toString());
                assertEquals(130, b, distribution.toString());
            } finally {
                collector.kill();
            }
        }
    }

    /** Random artifacts at nonces from..from+n-1 (vectors: finite fp16), remembered in arrival order. */
    List<int[]> batch(int from, int n) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new int[] {from + i, random.nextInt(0x3C00)});
        }
        return out;
    }

    static byte[] vector(int seed) {
        byte[] v = new byte[24];
        for (int k = 0; k < 12; k++) {
            int half = (seed + k) % 0x7BFF;
            v[2 * k] = (byte) half;
            v[2 * k + 1] = (byte) (half >>> 8);
        }
        return v;
    }

    void post(ServiceProcess collector, String hash, int node, List<int[]> artifacts) throws Exception {
        ObjectNode body = json.createObjectNode().put("block_hash", hash).put("block_height", 20).put("public_key", COLD.publicKeyHex())
                .put("node_id", node);
        ArrayNode list = body.putArray("artifacts");
        for (int[] a : artifacts) {
            list.addObject().put("nonce", a[0]).put("vector_b64", Base64.getEncoder().encodeToString(vector(a[1])));
            if (stored.stream().noneMatch(l -> l.nonce() == a[0])) {
                stored.add(new Smst.Leaf(a[0], vector(a[1])));
            }
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(collector.url() + "/v2/poc-batches/"
                        + QWEN.replace("/", "%252F") + "/generated")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    String root(int count) {
        return HexFormat.of().formatHex(Smst.of(stored, count).root());
    }

    /** Steps blocks until chain-sim included a commit of {@code count}; its root, in hex. */
    String awaitIncludedCommit(ServiceProcess chain, ServiceProcess collector, long count) throws Exception {
        JsonNode tx = awaitOnChain(chain, collector, "commit:", t -> t.toString().contains("MsgPoCV2StoreCommit")
                && t.findValue("entries").get(0).path("count").asLong() == count);
        assertTrue(tx.path("height").asLong() <= 40, "inside the commit window: " + tx);
        return tx.findValue("entries").get(0).path("root_hash").asText(); // chain-sim's tx log prints bytes as hex
    }

    /**
     * The included tx chain-sim logged that matches; a block is made whenever the collector has a tx of the purpose in the
     * mempool (sent, CheckTx passed), so the chain moves only as fast as the collector.
     */
    JsonNode awaitOnChain(ServiceProcess chain, ServiceProcess collector, String purpose, Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<String> included = new ArrayList<>();
            for (JsonNode tx : json.readTree(get(chain.url() + "/sim/v1/txs").body())) {
                if (tx.path("height").asLong() > 0 && match.test(tx)) {
                    assertEquals(0, tx.path("code").asInt(), tx.toString());
                    found[0] = tx;
                    return true;
                }
                included.add(tx.path("hash").asText());
            }
            for (JsonNode t : json.readTree(get(collector.url() + "/v1/chain/txs").body()).path("txs")) {
                if (t.path("purpose").asText().startsWith(purpose) && t.path("status").asText().equals("SENT") && t.path("code").isNumber()
                        && !included.contains(t.path("tx_hash").asText())) {
                    step(chain);
                    break;
                }
            }
            return false;
        });
        return found[0];
    }

    void awaitProcessed(ServiceProcess collector, long height) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> json.readTree(get(collector.url() + "/v1/chain/status").body()).path("processed_height").asLong() >= height);
    }

    void stepTo(ServiceProcess chain, long height) throws Exception {
        while (json.readTree(get(chain.url() + "/sim/v1/state").body()).path("height").asLong() < height) {
            step(chain);
        }
    }

    void step(ServiceProcess chain) throws Exception {
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(chain.url() + "/sim/v1/blocks?n=1"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
