package io.gonkanode.collector.tx;

import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.collector.ChainHost;
import io.gonkanode.protocol.tx.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.gonkanode.collector.ChainHost.COLD;
import static io.gonkanode.collector.ChainHost.WARM;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This host's transactions on chain-sim: the seed of each epoch is signed with the warm key for the cold account, and
 * chain-sim — which checks every byte as the chain does — includes it. A chain node that turns txs away for a while
 * only delays it; a collector killed with its tx in the mempool finds it by hash after the restart, and the chain
 * includes that seed exactly once. The warm key is read as upstream's {@code api} reads it: {@code KEY_NAME} in the Cosmos
 * file keyring of the {@code .inference} volume, opened with {@code KEYRING_PASSWORD} (an entry the SDK's JOSE library wrote).
 */
class ChainTxIT {

    @TempDir
    Path dir;

    @Test
    void seedsReachTheChainOnceThroughRefusalsAndACrash() throws Exception {
        // no peers and no ML nodes (so no hardware diff either): the refusals below count every tx chain-sim checks
        Path keyring = ChainHost.copyKeyring(dir.resolve(".inference"));
        Map<String, String> upstreamKey = Map.of("GONKA_WARM_KEY_FILE", "", "KEY_NAME", "gonka-warm",
                "KEYRING_PASSWORD", "correct horse battery staple", "KEYRING_BACKEND", "file", "GONKA_KEYRING_DIR", keyring.toString());
        try (ChainHost host = new ChainHost(dir, Map.of(), upstreamKey, List.of())) {
            // the key is read when the first component that signs starts
            String line = "warm key " + WARM.address() + " (key gonka-warm of the file keyring in " + keyring + ")";
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(host.collector.logFile()).contains(line));
            // the chain node turns the next two txs away (mempool full): the seed is signed and sent again until taken
            host.put(host.chain.url() + "/sim/v1/faults", "{\"reject_next\":{\"count\":2}}");
            host.stepTo(20); // epoch 1's PoC start
            JsonNode seed1 = host.awaitTx("seed:1", "SENT", t -> t.path("code").isNumber());
            assertEquals(3, seed1.path("attempts").asInt(), "two refusals, then the mempool took it: " + seed1);
            assertEquals(0, seed1.path("code").asInt(), seed1.toString());
            host.stepTo(21);
            host.awaitTx("seed:1", "INCLUDED", t -> true);
            assertSeedsOnChain(host, 1);

            // killed with epoch 2's seed in the mempool: after the restart it is observed, not sent again
            host.stepTo(140);
            host.awaitTx("seed:2", "SENT", t -> t.path("code").isNumber()); // the broadcast was answered: in the mempool
            host.collector.kill();
            host.collector.start(Duration.ofSeconds(60));
            host.stepTo(141);
            JsonNode seed2 = host.awaitTx("seed:2", "INCLUDED", t -> true);
            assertEquals(1, seed2.path("attempts").asInt(), "sent once: " + seed2);
            assertSeedsOnChain(host, 1, 2);

            JsonNode txs = host.txs();
            assertTrue(txs.path("sending").asBoolean(), txs.toString());
            assertEquals(2, txs.path("counts").path("INCLUDED").asInt(), txs.toString());
            assertEquals(400, host.get(host.collector.url() + "/v1/chain/txs?limit=0").statusCode());
        }
    }

    /** chain-sim included (in a block) exactly one seed per epoch, each signed by the warm key for the cold account, as derived. */
    static void assertSeedsOnChain(ChainHost host, long... epochs) throws Exception {
        List<Long> seen = new ArrayList<>();
        for (JsonNode tx : host.chainTxs()) {
            if (!WARM.address().equals(tx.path("signer").asText()) || tx.path("height").asLong() == 0
                    || !tx.toString().contains("MsgSubmitSeed")) {
                continue; // another's, turned away at CheckTx, or not a seed
            }
            assertEquals(0, tx.path("code").asInt(), tx.toString());
            JsonNode m = tx.path("messages").get(0);
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
}
