package io.gonkanode.collector.tx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.local.Database;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.tx.Seeds;
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
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This host's transactions on chain-sim (blocks made one at a time): the seed of each epoch is signed with the warm
 * key for the cold account, and chain-sim — which checks every byte as the chain does — includes it. A chain node
 * that turns txs away for a while only delays it; a collector killed with its tx in the mempool finds it by hash
 * after the restart, and the chain includes that seed exactly once.
 */
class ChainTxIT {

    static final SigningKey COLD = SigningKey.of(Hashes.sha256("gonka-java-test-cold-key".getBytes(StandardCharsets.US_ASCII)));
    static final SigningKey WARM = SigningKey.of(Hashes.sha256("gonka-java-test-warm-key".getBytes(StandardCharsets.US_ASCII)));
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void seedsReachTheChainOnceThroughRefusalsAndACrash() throws Exception {
        Path keyFile = dir.resolve("warm.key");
        Files.writeString(keyFile, HexFormat.of().formatHex(Hashes.sha256("gonka-java-test-warm-key".getBytes(StandardCharsets.US_ASCII))) + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        try (Database db = Database.forTests(); StubRegistry registry = new StubRegistry();
             ServiceProcess chain = ServiceProcess.builder("chain-sim", Sims.packaged("chain-sim")).port(ServiceProcess.freePort())
                     .readinessPath("/health").env("SIM_CHAIN_PRODUCE_BLOCKS", "false").env("SIM_CHAIN_PEERS", "0") // refusals count every tx: none from peers here
                     .env("ACCOUNT_PUBKEY", Base64.getEncoder().encodeToString(COLD.publicKey()))
                     .env("SIM_CHAIN_WARM_PUBKEY", Base64.getEncoder().encodeToString(WARM.publicKey()))
                     .build().start(Duration.ofSeconds(60))) {
            stepTo(chain, 5);
            ServiceProcess collector = ServiceProcess.builder("poc-collector", Path.of("target", "quarkus-app", "quarkus-run.jar"))
                    .port(ServiceProcess.freePort()).env(db.environment()).env("NODE_REGISTRY_URL", registry.url())
                    .env("ACCOUNT_PUBKEY", Base64.getEncoder().encodeToString(COLD.publicKey()))
                    .env("GONKA_WARM_KEY_FILE", keyFile.toString()).env("DAPI_CHAIN_NODE__URL", chain.url())
                    .env("GONKA_CHAIN_STALE_AFTER", "1h").env("GONKA_TX_RETRY_DELAY", "100ms").env("GONKA_TX_OBSERVE_INTERVAL", "100ms")
                    .build().start(Duration.ofSeconds(60));
            try {
                // the chain node turns the next two txs away (mempool full): the seed is signed and sent again until taken
                put(chain.url() + "/sim/v1/faults", "{\"reject_next\":{\"count\":2}}");
                stepTo(chain, 20); // epoch 1's PoC start
                JsonNode seed1 = awaitTx(collector, "seed:1", "SENT", t -> t.path("code").isNumber());
                assertEquals(3, seed1.path("attempts").asInt(), "two refusals, then the mempool took it: " + seed1);
                assertEquals(0, seed1.path("code").asInt(), seed1.toString());
                stepTo(chain, 21);
                awaitTx(collector, "seed:1", "INCLUDED", t -> true);
                assertSeedsOnChain(chain, 1);

                // killed with epoch 2's seed in the mempool: after the restart it is observed, not sent again
                stepTo(chain, 140);
                awaitTx(collector, "seed:2", "SENT", t -> t.path("code").isNumber()); // the broadcast was answered: in the mempool
                collector.kill();
                collector.start(Duration.ofSeconds(60));
                stepTo(chain, 141);
                JsonNode seed2 = awaitTx(collector, "seed:2", "INCLUDED", t -> true);
                assertEquals(1, seed2.path("attempts").asInt(), "sent once: " + seed2);
                assertSeedsOnChain(chain, 1, 2);

                JsonNode txs = json.readTree(get(collector.url() + "/v1/chain/txs").body());
                assertTrue(txs.path("sending").asBoolean(), txs.toString());
                assertEquals(2, txs.path("counts").path("INCLUDED").asInt(), txs.toString());
                assertEquals(400, get(collector.url() + "/v1/chain/txs?limit=0").statusCode());
            } finally {
                collector.kill();
            }
        }
    }

    /** chain-sim included (in a block) exactly one seed per epoch, each signed by the warm key for the cold account, as derived. */
    void assertSeedsOnChain(ServiceProcess chain, long... epochs) throws Exception {
        List<Long> seen = new ArrayList<>();
        for (JsonNode tx : json.readTree(get(chain.url() + "/sim/v1/txs").body())) {
            if (!WARM.address().equals(tx.path("signer").asText()) || tx.path("height").asLong() == 0) {
                continue; // another's, or turned away at CheckTx
            }
            assertEquals(0, tx.path("code").asInt(), tx.toString());
            JsonNode m = tx.path("messages").get(0);
            assertTrue(m.toString().contains("MsgSubmitSeed"), m.toString());
            long epoch = m.findValue("epoch_index").asLong();
            assertEquals(COLD.address(), m.findValue("creator").asText());
            assertEquals(Seeds.derive(WARM, epoch).signatureHex(), m.findValue("signature").asText());
            seen.add(epoch);
        }
        List<Long> expected = new ArrayList<>();
        for (long e : epochs) {
            expected.add(e);
        }
        assertEquals(expected, seen);
    }

    JsonNode awaitTx(ServiceProcess collector, String purpose, String status, Predicate<JsonNode> and) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode tx : json.readTree(get(collector.url() + "/v1/chain/txs").body()).path("txs")) {
                if (purpose.equals(tx.path("purpose").asText()) && status.equals(tx.path("status").asText()) && and.test(tx)) {
                    found[0] = tx;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    void stepTo(ServiceProcess chain, long height) throws Exception {
        while (json.readTree(get(chain.url() + "/sim/v1/state").body()).path("height").asLong() < height) {
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(chain.url() + "/sim/v1/blocks?n=1"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    void put(String url, String body) throws Exception {
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
