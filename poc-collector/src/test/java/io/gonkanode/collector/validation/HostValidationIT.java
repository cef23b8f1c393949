package io.gonkanode.collector.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.collector.ChainHost;
import io.gonkanode.testing.Sims;
import io.gonkanode.testing.StubRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.gonkanode.collector.ChainHost.COLD;
import static io.gonkanode.collector.ChainHost.QWEN;
import static io.gonkanode.collector.ChainHost.WARM;
import static io.gonkanode.collector.ChainHost.batch;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validating every host (writes spec §6) on chain-sim with two simulated ML nodes: this host commits its own
 * artifacts, then validates every commitment of the stage — its own, an honest peer's, a forger's (proofs that verify,
 * vectors no ML node computed), a peer serving bad proofs and one that never answers — through their proofs APIs and
 * its ML nodes, and votes n_total, n_total, −1, −1, −1 (the last after its tries) on chain. The peers validate it through its API in turn, and the chain gives
 * it weight for epoch 1: seed, commit, distribution and votes all landed; at epoch 2's claim height it claims epoch 1's
 * rewards with epoch 1's seed — also when the collector was down at that height. In between, a confirmation PoC: its
 * artifacts are committed under the trigger height and validated with the event's seed. A {@code kill -9} while samples are
 * with its ML nodes only delays the votes.
 */
class HostValidationIT {

    @TempDir
    Path dir;

    @Test
    void votesForTheHonestAndAgainstTheMisbehaving() throws Exception {
        List<Sims.Sim> sims = new ArrayList<>();
        try {
            for (String id : new String[] {"gpu-a", "gpu-b"}) {
                Sims.Sim sim = Sims.start(id, Map.of("SIM_MODELS", QWEN));
                sims.add(sim);
            }
            List<StubRegistry.Node> nodes = List.of(StubRegistry.Node.serving("gpu-a", 1, sims.get(0).managementPort(),
                    sims.get(0).inferencePort(), QWEN), StubRegistry.Node.serving("gpu-b", 2, sims.get(1).managementPort(),
                    sims.get(1).inferencePort(), QWEN));
            // a host that never answers is given up on after 4 quick tries (upstream: 25 over minutes)
            try (ChainHost host = new ChainHost(dir, Map.of("SIM_CHAIN_PEERS", "4", "SIM_CHAIN_PEER_BEHAVIOURS",
                    "honest,forged-vectors,bad-proofs,unreachable", "SIM_CHAIN_PEER_ARTIFACTS", "300"), Map.of("GONKA_POC_HOST_RETRY_DELAY",
                    "200ms", "GONKA_POC_HOST_RETRY_MAX_DELAY", "500ms", "GONKA_POC_HOST_RETRIES", "4", "GONKA_POC_VALIDATION_TIMEOUT", "5s"),
                    nodes)) {
                for (Sims.Sim sim : sims) { // the ML nodes serve the model, as the node manager would have them
                    assertEquals(200, host.postJson(sim.url() + "/api/v1/inference/up",
                            "{\"model\":\"" + QWEN + "\",\"dtype\":\"auto\",\"additional_args\":[]}").statusCode());
                }
                Map<String, String> peers = new HashMap<>();
                for (JsonNode p : host.json.readTree(host.get(host.chain.url() + "/sim/v1/peers").body()).path("peers")) {
                    peers.put(p.path("behaviour").asText(), p.path("account").asText());
                }
                host.stepTo(21);
                host.awaitProcessed(21);
                host.post(20, 1, batch(0, 150));
                host.post(20, 2, batch(150, 150));
                host.awaitOnChain("commit:", t -> t.toString().contains("MsgPoCV2StoreCommit") && t.path("signer").asText().equals(WARM.address())
                        && t.findValue("entries").get(0).path("count").asLong() == 300);

                // to the validation start (43): a block only once this host has nothing left to do with the last one; killed
                // with samples at its ML nodes, the collector picks the round up where it was
                stepWhileIdle(host, () -> {
                    for (JsonNode round : host.json.readTree(host.get(host.collector.url() + "/v1/chain/validations").body())) {
                        for (JsonNode item : round.path("items")) {
                            if (item.path("status").asText().equals("SENT")) {
                                return true;
                            }
                        }
                    }
                    return false;
                });
                host.collector.kill();
                host.collector.start(Duration.ofSeconds(60));
                Map<String, Long> cast = new HashMap<>();
                stepWhileIdle(host, () -> {
                    cast.clear();
                    for (JsonNode t : host.chainTxs()) {
                        if (t.path("height").asLong() > 0 && t.path("signer").asText().equals(WARM.address())
                                && t.toString().contains("MsgSubmitPocValidationsV2")) {
                            assertEquals(0, t.path("code").asInt(), t.toString());
                            t.findValue("validations").forEach(v -> cast.put(v.path("participant_address").asText(),
                                    v.path("validated_weight").asLong()));
                        }
                    }
                    return cast.size() == 5; // every committed host, this one too
                });
                assertTrue(cast.get(COLD.address()) > 0, "its own commitment: " + cast);
                assertTrue(cast.get(peers.get("honest")) > 0, "the honest peer: " + cast);
                assertEquals(-1, cast.get(peers.get("forged-vectors")), "the forger, caught by the ML node's recomputation: " + cast);
                assertEquals(-1, cast.get(peers.get("bad-proofs")), "proofs that do not verify: " + cast);
                assertEquals(-1, cast.get(peers.get("unreachable")), "no answer after its tries: " + cast);
                JsonNode round = host.json.readTree(host.get(host.collector.url() + "/v1/chain/validations").body()).get(0);
                assertEquals(20, round.path("stage_height").asLong(), round.toString());
                for (JsonNode item : round.path("items")) {
                    if (item.path("participant").asText().equals(peers.get("unreachable"))) {
                        assertEquals(4, item.path("attempts").asInt(), item.toString());
                        assertTrue(item.path("reason").asText().startsWith("no usable answer after 4 attempts"), item.toString());
                    }
                }

                // epoch 1 in force: this host has weight on chain
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    JsonNode p = host.json.readTree(host.get(host.collector.url() + "/v1/epochs/1/participants").body());
                    for (JsonNode a : p.path("active_participants").path("participants")) {
                        if (a.path("index").asText().equals(COLD.address())) {
                            assertTrue(a.path("weight").asLong() > 0, a.toString());
                            return true;
                        }
                    }
                    if (host.json.readTree(host.get(host.chain.url() + "/sim/v1/peers").body()).path("busy").asInt() == 0) {
                        host.step();
                    }
                    return false;
                });

                // a confirmation PoC during epoch 1's inference: commits under the trigger height, and this host validates its own
                JsonNode event = host.json.readTree(host.postJson(host.chain.url() + "/sim/v1/confirmation-poc", "").body());
                long trigger = event.path("trigger_height").asLong();
                host.stepTo(event.path("generation_start_height").asLong());
                String[] seed = new String[1];
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    seed[0] = host.json.readTree(host.get(host.collector.url() + "/v1/epochs/latest").body())
                            .path("active_confirmation_poc_event").path("poc_seed_block_hash").asText();
                    return seed[0].matches("[0-9a-f]{64}");
                });
                host.post(trigger, 1, batch(0, 120), seed[0]);
                JsonNode confirmation = host.awaitOnChain("commit:" + trigger + ":", t -> t.toString().contains("MsgPoCV2StoreCommit")
                        && t.path("signer").asText().equals(WARM.address()) && t.findValue("poc_stage_start_block_height").asLong() == trigger);
                assertEquals(120, confirmation.findValue("entries").get(0).path("count").asLong(), confirmation.toString());
                long[] own = {0};
                stepWhileIdle(host, () -> {
                    for (JsonNode t : host.chainTxs()) {
                        if (t.path("height").asLong() > 0 && t.path("signer").asText().equals(WARM.address())
                                && t.toString().contains("MsgSubmitPocValidationsV2") && t.findValue("poc_stage_start_block_height").asLong() == trigger) {
                            t.findValue("validations").forEach(v -> own[0] = v.path("participant_address").asText().equals(COLD.address())
                                    ? v.path("validated_weight").asLong() : own[0]);
                        }
                    }
                    return own[0] != 0;
                });
                assertTrue(own[0] > 0, "its confirmation PoC commitment recomputed and found valid: " + own[0]);

                // epoch 2's claim height (199: set new validators + 1, no delay in so short an epoch) passes while the collector is
                // down: the block is replayed after the restart, and epoch 1's rewards are claimed with epoch 1's seed all the same
                host.collector.kill();
                host.stepTo(205);
                host.collector.start(Duration.ofSeconds(60));
                JsonNode claim = host.stepUntilOnChain(t -> t.toString().contains("MsgClaimRewards") && t.path("signer").asText().equals(WARM.address()));
                assertEquals(0, claim.path("code").asInt(), claim.toString());
                assertEquals(io.gonkanode.protocol.tx.Seeds.derive(WARM, 1).value(), claim.findValue("seed").asLong(), claim.toString());
                JsonNode result = host.json.readTree(host.get(host.chain.url() + "/tx?hash=0x" + claim.path("hash").asText()).body());
                assertTrue(result.path("result").path("tx_result").path("events").toString().contains("Rewards claimed"), result.toString());
                host.awaitTx("claim:1", "INCLUDED", t -> true); // and the collector saw it included

                // all of it, epoch by epoch, as the dashboard reads it
                JsonNode epoch1 = null;
                for (JsonNode e : host.json.readTree(host.get(host.collector.url() + "/v1/chain/host").body()).path("epochs")) {
                    epoch1 = e.path("epoch_index").asLong() == 1 ? e : epoch1;
                }
                assertTrue(epoch1 != null, "epoch 1 is listed");
                assertEquals("INCLUDED", epoch1.path("seed").asText(), epoch1.toString());
                assertEquals("INCLUDED", epoch1.path("claim").asText(), epoch1.toString());
                assertEquals("INCLUDED", epoch1.path("distribution").asText(), epoch1.toString());
                assertEquals(300, epoch1.path("commits").get(0).path("included_count").asLong(), epoch1.toString());
                assertEquals(2, epoch1.path("votes_given").path("valid").asLong(), epoch1.toString());
                assertEquals(3, epoch1.path("votes_given").path("invalid").asLong(), epoch1.toString());
                Map<String, Long> received = new HashMap<>();
                epoch1.path("votes_received").forEach(v -> received.put(v.path("validator").asText(), v.path("weight").asLong()));
                assertTrue(received.get(peers.get("honest")) > 0, "the honest peer's vote for this host, read from its block: " + received);
            }
        } finally {
            Sims.stopAll(sims);
        }
    }

    /**
     * Makes blocks until {@code done}, each only when this host is idle: no validation round open
     * but not listed, no commitment waiting for proofs, its ML node or its vote's tx, no tx of its own waiting for a
     * block it already has — so the validation window never closes on work in progress.
     */
    static void stepWhileIdle(ChainHost host, java.util.concurrent.Callable<Boolean> done) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (done.call()) {
                return true;
            }
            List<String> included = new ArrayList<>();
            for (JsonNode tx : host.chainTxs()) {
                included.add(tx.path("hash").asText());
            }
            boolean busy = false;
            for (JsonNode round : host.json.readTree(host.get(host.collector.url() + "/v1/chain/validations").body())) {
                busy |= !round.path("listed").asBoolean();
                for (JsonNode item : round.path("items")) {
                    busy |= item.path("status").asText().matches("PENDING|SENT") // still at work, or its vote not yet queued
                            || item.path("vote").isNumber() && !item.path("vote_tx").isTextual();
                }
            }
            boolean waitingForBlock = false;
            for (JsonNode t : host.txs().path("txs")) {
                busy |= t.path("status").asText().equals("QUEUED") || (t.path("status").asText().equals("SENT") && !t.path("code").isNumber());
                waitingForBlock |= t.path("status").asText().equals("SENT") && t.path("code").isNumber()
                        && !included.contains(t.path("tx_hash").asText());
            }
            boolean peersIdle = host.json.readTree(host.get(host.chain.url() + "/sim/v1/peers").body()).path("busy").asInt() == 0;
            if (peersIdle && (waitingForBlock || !busy)) {
                host.step();
            }
            return false;
        });
    }
}
