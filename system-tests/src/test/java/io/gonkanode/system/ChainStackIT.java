package io.gonkanode.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.local.LocalStack;
import io.gonkanode.local.StackOptions;
import io.gonkanode.system.hostile.ProofsFuzz;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stack as {@code deploy/local/up} runs it: chain-sim with its two peers producing blocks, this host registered
 * on it with the development keys, one simulated ML node. The ML node generates with the chain's stage height, the
 * hash the chain printed for that block and the chain's model; {@code /v1/epochs/latest} (through api-node) agrees
 * with chain-sim's epoch and phase at heights in several phases; {@code /v1/epochs/current/participants} is the
 * record chain-sim wrote. This host earns weight there: the ML node's artifacts are committed, the peers validate it
 * through api-node's public proofs API, and it votes for the honest peer and against the forger (whose sample its ML
 * node recomputes); its seed, commits, distribution and the votes it gave and received are on the admin API, its
 * ML node is on chain (hardware diff), and the
 * dashboard shows them (in Chromium, where there is one).
 */
class ChainStackIT {

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @Test
    void theHostFollowsChainSim() throws Exception {
        StackOptions o = TestStacks.options("chain");
        o.mlnodes = 1;
        o.env("registry", "GONKA_MANAGER_POLL_INTERVAL", "1s").env("mlnode", "SIM_INFERENCE_UP_DELAY", "300ms")
                .env("chain-sim", "SIM_CHAIN_PEER_BEHAVIOURS", "honest,forged-vectors");
        try (LocalStack stack = new LocalStack(o).start()) {
            String chain = stack.chain().url();
            String api = stack.api().url();
            String mlnode = stack.sims().get(0).url();

            // the ML node generates for the chain's PoC stage: its height, the chain's hash of that block, the chain's model
            JsonNode[] config = new JsonNode[1];
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(250)).until(() -> {
                for (JsonNode backend : read(mlnode + "/api/v1/inference/pow/status").path("backends")) {
                    if (backend.path("status").asText().equals("GENERATING")) {
                        config[0] = backend.path("config");
                        return true;
                    }
                }
                return false;
            });
            long stage = config[0].path("block_height").asLong();
            JsonNode state = read(chain + "/sim/v1/state");
            assertEquals(state.path("latest_poc_start").asLong(), stage, "the chain's latest PoC start: " + config[0]);
            long joined = state.path("latest_epoch").asLong(); // the first epoch whose PoC this host takes part in
            String hash = read(chain + "/block?height=" + stage).path("result").path("block_id").path("hash").asText();
            assertEquals(hash, config[0].path("block_hash").asText(), "the hash the chain printed, unchanged");
            assertEquals(1024, config[0].path("seq_len").asInt(), "the chain's seq_len: " + config[0]);
            JsonNode round = read(stack.registry().url() + "/internal/v1/round");
            assertEquals(stage, round.path("poc_start_block_height").asLong());
            assertEquals("--max-model-len", round.path("models").path(LocalStack.MODEL).path("model_args").get(0).asText(),
                    "the chain's model with its governance args: " + round);

            // /v1/epochs/latest through api-node against the chain's own state, in several phases
            Set<String> phases = new HashSet<>();
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200)).until(() -> {
                JsonNode before = read(chain + "/sim/v1/state");
                JsonNode latest = read(api + "/v1/epochs/latest");
                JsonNode after = read(chain + "/sim/v1/state");
                long h = latest.path("block_height").asLong();
                if (before.path("height").asLong() == h && after.path("height").asLong() == h) {
                    assertEquals(before.path("latest_epoch").asLong(), latest.path("latest_epoch").path("index").asLong(), "at " + h);
                    assertEquals(before.path("latest_poc_start").asLong(), latest.path("latest_epoch").path("poc_start_block_height").asLong());
                    assertEquals(before.path("phase").asText(), latest.path("phase").asText(), "phase at " + h);
                    phases.add(latest.path("phase").asText());
                }
                return phases.size() >= 3 && read(chain + "/sim/v1/state").path("effective_epoch").asLong() >= joined;
            });

            // the participants of the epoch in force: the record chain-sim wrote, with the peers in it
            long epoch = read(chain + "/sim/v1/state").path("effective_epoch").asLong();
            assertEquals(joined, epoch, "the epoch this host took part in is in force");
            String key = "4163746976655061727469636970616e74732f76616c75652f" + String.format("%016x", epoch) + "2f";
            String written = read(chain + "/abci_query?path=%22store/inference/key%22&data=0x" + key)
                    .path("result").path("response").path("value").asText();
            JsonNode participants = read(api + "/v1/epochs/current/participants");
            assertEquals(HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(written)),
                    participants.path("active_participants_bytes").asText());
            assertEquals(epoch, participants.path("active_participants").path("epoch_id").asLong());
            Set<String> peers = new HashSet<>();
            String honest = "";
            for (JsonNode p : read(chain + "/sim/v1/peers").path("peers")) {
                peers.add(p.path("account").asText());
                honest = p.path("behaviour").asText().equals("honest") ? p.path("account").asText() : honest;
            }
            Set<String> indexes = new HashSet<>();
            participants.path("active_participants").path("participants").forEach(p -> indexes.add(p.path("index").asText()));
            assertTrue(indexes.contains(honest), "the honest peer has weight: " + indexes);

            // this host earned weight: its ML node's artifacts committed, its proofs served through api-node to the peers,
            // who voted for it; it voted for itself and the honest peer, against the forger (its ML node recomputed the sample)
            String account = read(stack.registry().url() + "/admin/v1/chain/status").path("account").asText();
            JsonNode me = null;
            for (JsonNode p : participants.path("active_participants").path("participants")) {
                me = p.path("index").asText().equals(account) ? p : me;
            }
            assertTrue(me != null && me.path("weight").asLong() > 0, "this host has weight on chain: " + participants);
            JsonNode host = read(stack.registry().url() + "/admin/v1/chain/host");
            JsonNode first = null;
            for (JsonNode e : host.path("epochs")) {
                first = e.path("epoch_index").asLong() == epoch ? e : first;
            }
            assertTrue(first != null, host.toString());
            assertEquals("INCLUDED", first.path("seed").asText(), first.toString());
            assertEquals("INCLUDED", first.path("distribution").asText(), first.toString());
            assertTrue(first.path("commits").get(0).path("included_count").asLong() > 0, first.toString());
            assertEquals(2, first.path("votes_given").path("valid").asLong(), "itself and the honest peer: " + first);
            assertEquals(1, first.path("votes_given").path("invalid").asLong(), "the forger: " + first);
            assertTrue(first.path("votes_received").size() >= 1, "the peers' votes, read from their blocks: " + first);
            // and the chain learned this host's ML node (the hardware diff, sent within a minute)
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() -> {
                for (JsonNode tx : read(chain + "/sim/v1/txs")) {
                    JsonNode m = tx.path("messages").path(0);
                    if (tx.path("height").asLong() > 0 && m.path("@type").asText().endsWith("MsgSubmitHardwareDiff")
                            && m.path("creator").asText().equals(account)) {
                        assertEquals(0, tx.path("code").asInt(), tx.toString());
                        assertEquals("mlnode-1", m.path("newOrModified").get(0).path("local_id").asText(), tx.toString());
                        return true;
                    }
                }
                return false;
            });

            // the chain's state on /v1/status, and for the dashboard on the admin port (with this host's address)
            JsonNode status = read(api + "/v1/status");
            assertEquals("ok", status.path("status").asText());
            assertEquals("LIVE", status.path("chain").path("sync").asText(), status.toString());
            assertEquals("gonka-sim", status.path("chain").path("network").asText());
            JsonNode admin = read(stack.registry().url() + "/admin/v1/chain/status");
            assertTrue(admin.path("account").asText().startsWith("gonka1"), admin.toString());
            assertEquals(participants.path("active_participants"),
                    read(stack.registry().url() + "/admin/v1/epochs/" + epoch + "/participants").path("active_participants"));

            // the proofs API on a chain: the fuzzer's every mutation of a well-formed request gets a JSON 4xx, never a 5xx
            String seed = ProofsFuzz.PROOFS_SEED.replace("\"timestamp\":1760000000000000000", "\"timestamp\":"
                    + (System.currentTimeMillis() * 1_000_000L)).replace("gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw", account);
            List<String> fuzz = ProofsFuzz.failures(stack.api().port(), seed, seed.replace("\"leaf_indices\"", "\"nonces\""));
            assertTrue(fuzz.isEmpty(), fuzz.size() + " failures: " + String.join("\n", fuzz.subList(0, Math.min(20, fuzz.size()))));

            // and the dashboard shows them, in a real browser where there is one
            if (Browser.required() || Browser.ready()) {
                Browser.run("chain-dashboard.mjs", Map.of("DASHBOARD_URL", stack.registry().url() + "/", "PEERS", honest, "HOST", account,
                        "EPOCH", Long.toString(epoch), "SHOTS", java.nio.file.Path.of("target", "dashboard").toAbsolutePath().toString()));
            }

            // and a real Prometheus on deploy/observability scrapes it all: every dashboard query and alert rule evaluates
            if (Observability.prometheusRequired() || Observability.prometheusReady()) {
                observed(stack, o.dataDir.resolve("prometheus"));
            }
        }
    }

    /** Series that exist only once something happened that this run does not make happen (a −1 vote, a suspension). */
    static final Set<String> EVENT_ONLY = Set.of("gonka_poc_votes_against", "api_routing_suspensions_total");

    void observed(LocalStack stack, java.nio.file.Path dir) throws Exception {
        // one request for a model nobody serves: the gateway's request counter exists from then on
        http.send(HttpRequest.newBuilder(URI.create(stack.api().url() + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"not-served\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.discarding());
        try (PrometheusRun prometheus = PrometheusRun.start(stack, dir)) {
            // every scrape target up: Prometheus itself and the three services
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode targets = prometheus.api("targets?state=active");
                assertTrue(targets != null, "prometheus is starting");
                Set<String> up = new HashSet<>();
                for (JsonNode t : targets.path("activeTargets")) {
                    if (t.path("health").asText().equals("up")) {
                        up.add(t.path("labels").path("job").asText());
                    }
                }
                assertEquals(Set.of("prometheus", "node-registry", "poc-collector", "api-node"), up, targets.toString());
            });
            // every alert rule evaluated without error; none that would mean a sick host fires on this one
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                List<String> evaluated = new java.util.ArrayList<>();
                for (JsonNode g : prometheus.api("rules").path("groups")) {
                    for (JsonNode r : g.path("rules")) {
                        assertEquals("ok", r.path("health").asText(), r.toString());
                        assertTrue(!r.path("lastEvaluation").asText().startsWith("0001"), r.toString());
                        if (!Set.of("GonkaChainTxFailing", "GonkaPocVoteAgainst").contains(r.path("name").asText())) {
                            assertTrue(!r.path("state").asText().equals("firing"), r.toString());
                        }
                        evaluated.add(r.path("name").asText());
                    }
                }
                assertEquals(Observability.alertExpressions().size(), evaluated.size(), evaluated.toString());
            });
            // every dashboard query evaluates, and every metric it reads has series: the PoC round's appear as the
            // epoch goes on (artifacts at generation, commits, votes at validation), so they are waited for
            Set<String> names = new java.util.TreeSet<>();
            for (Observability.Query q : Observability.queries()) {
                if (q.datasource().equals("prometheus")) {
                    prometheus.query(q.expr());
                    names.addAll(Observability.metrics(q.expr()));
                }
            }
            Observability.alertExpressions().forEach(e -> names.addAll(Observability.metrics(e)));
            names.removeAll(EVENT_ONLY);
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Set<String> missing = new java.util.TreeSet<>();
                for (String name : names) {
                    if (prometheus.query(name).isEmpty()) {
                        missing.add(name);
                    }
                }
                assertTrue(missing.isEmpty(), "no series yet: " + missing);
            });
            // what the metrics say agrees with what the host did: it has weight, its ML node is INFERENCE or POC
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !prometheus.query("gonka_host_weight > 0").isEmpty());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    prometheus.query("registry_node_status{node=\"mlnode-1\",status=~\"INFERENCE|POC\"} == 1").size() == 1);
            assertEquals(1, prometheus.query("gonka_chain_sync{state=\"LIVE\"} == 1").size());
            assertTrue(!prometheus.query("gonka_chain_txs_total{type=\"MsgPoCV2StoreCommit\",outcome=\"included\"} > 0").isEmpty());
        }
    }

    JsonNode read(String url) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}
