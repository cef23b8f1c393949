package io.gonkanode.collector.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.local.Database;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.testing.Sims;
import io.gonkanode.testing.StubRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged collector following a chain-sim process (blocks made on demand): PoC rounds announced at the chain's
 * PoC start with the chain's block hash; a dropped websocket, a {@code kill -9} just before a PoC start with the
 * start passing while the collector is down, and a node that is catching up — every block is still processed
 * once and in order, and every PoC start's hook runs exactly once.
 */
class ChainFollowIT {

    static final String KEY = "AgOaIoGHIEb2t+Uj/iYPzWpVxgUfgPKKyLxH1mjm1nxC";
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @Test
    void followsTheChainThroughDropsKillsAndCatchingUp() throws Exception {
        try (Database db = Database.forTests(); StubRegistry registry = new StubRegistry();
             ServiceProcess chain = ServiceProcess.builder("chain-sim", Sims.packaged("chain-sim")).port(ServiceProcess.freePort())
                     .readinessPath("/health").env("SIM_CHAIN_PRODUCE_BLOCKS", "false").env("SIM_CHAIN_PEERS", "0")
                     .env("SIM_CHAIN_ID", "gonka-follow").build().start(Duration.ofSeconds(60))) {
            blocks(chain, 5);
            ServiceProcess.Builder collectorBuilder = ServiceProcess.builder("poc-collector", Path.of("target", "quarkus-app", "quarkus-run.jar"))
                    .port(ServiceProcess.freePort()).env(db.environment()).env("NODE_REGISTRY_URL", registry.url()).env("ACCOUNT_PUBKEY", KEY)
                    .env("DAPI_CHAIN_NODE__URL", chain.url()).env("GONKA_CHAIN_STATUS_INTERVAL", "200ms")
                    .env("GONKA_CHAIN_STALE_AFTER", "1h");
            ServiceProcess collector = collectorBuilder.build().start(Duration.ofSeconds(60));
            try {
                // first start at height 5 (epoch 0): following from there
                blocks(chain, 14);
                awaitProcessed(collector, 19);
                // the follower on /q/metrics: heights, lag, state
                String followed = get(collector.url() + "/q/metrics").body();
                assertTrue(followed.contains("gonka_chain_processed_height 19.0") && followed.contains("gonka_chain_height 19.0")
                        && followed.contains("gonka_chain_lag_blocks 0.0") && followed.contains("gonka_chain_sync{state=\"LIVE\"} 1.0")
                        && followed.contains("gonka_chain_sync{state=\"STALE\"} 0.0") && followed.contains("gonka_chain_block_age_seconds "),
                        followed);
                assertTrue(registry.rounds().stream().noneMatch(r -> r.contains("\"poc_start_block_height\":20")));

                // the PoC start of epoch 1 (fast parameters: 20) is announced with the chain's hash of block 20
                blocks(chain, 1);
                awaitRound(registry, 1, 20, hash(chain, 20));
                // with the chain's PoC model, its governance vLLM args and round settings
                JsonNode round = registry.rounds().stream().map(this::read).filter(r -> r.path("epoch").asLong() == 1).findFirst().orElseThrow();
                JsonNode qwen = round.path("models").path("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8");
                assertEquals(1024, qwen.path("seq_len").asInt(), round.toString());
                assertEquals("[\"--max-model-len\",\"240000\",\"--enable-auto-tool-choice\",\"--tool-call-parser\",\"hermes\"]",
                        qwen.path("model_args").toString());
                assertEquals("", round.path("mlnode_version").asText());
                // a partial upgrade of the MLNode version at 130 reaches the registry with epoch 2's round
                assertEquals(200, post(chain.url() + "/sim/v1/upgrades", "{\"height\": 130, \"node_version\": \"v3.0.12\"}").statusCode());

                // the websocket dropped during generation: the blocks made meanwhile are fetched and processed in order
                post(chain.url() + "/sim/v1/websocket/drop", "");
                blocks(chain, 5);
                awaitProcessed(collector, 25);
                matchesTheChainsStageTable(collector, chain, 25);
                JsonNode stages = json.readTree(get(collector.url() + "/v1/epochs/latest").body()).path("epoch_stages");
                assertEquals(43, stages.path("poc_validation_start").asLong());
                assertEquals(73, stages.path("poc_validation_end").asLong());
                assertEquals(78, stages.path("set_new_validators").asLong());
                assertEquals(140, stages.path("next_poc_start").asLong());
                assertEquals("{\"start\":21,\"end\":40}", stages.path("poc_exchange_window").toString());
                assertEquals("{\"start\":44,\"end\":73}", stages.path("poc_validation_exchange_window").toString());

                // killed just before epoch 2's PoC start (140), which passes while it is down
                blocks(chain, 139 - 25);
                awaitProcessed(collector, 139);
                matchesTheChainsStageTable(collector, chain, 139);
                collector.kill();
                blocks(chain, 2);
                collector = collectorBuilder.build().start(Duration.ofSeconds(60));
                awaitProcessed(collector, 141);
                awaitRound(registry, 2, 140, hash(chain, 140));
                matchesTheChainsStageTable(collector, chain, 141);
                assertTrue(registry.rounds().stream().map(this::read).anyMatch(r -> r.path("epoch").asLong() == 2
                        && r.path("mlnode_version").asText().equals("v3.0.12")), "the upgraded MLNode version");

                // every block from the first one processed to the last, once; each PoC start's hook once
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    ResultSet rs = s.executeQuery("select min(height), max(height), count(*) from poc.chain_block");
                    rs.next();
                    assertEquals(5, rs.getLong(1));
                    assertEquals(141, rs.getLong(2));
                    assertEquals(141 - 5 + 1, rs.getLong(3), "no height skipped");
                    ResultSet hooks = s.executeQuery("select height from poc.chain_hook where hook = 'poc_start' order by height");
                    hooks.next();
                    assertEquals(20, hooks.getLong(1));
                    hooks.next();
                    assertEquals(140, hooks.getLong(1));
                    assertTrue(!hooks.next());
                    ResultSet hash140 = s.executeQuery("select block_hash from poc.epoch where epoch_index = 2");
                    hash140.next();
                    assertEquals(hash(chain, 140), hash140.getString(1));
                }

                // a node catching up: the collector is not ready and says why; then it is again
                String ready = collector.url() + "/q/health/ready";
                put(chain.url() + "/sim/v1/faults", "{\"catching_up\": true}");
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    HttpResponse<String> r = get(ready);
                    return r.statusCode() == 503 && r.body().contains("catching up");
                });
                JsonNode status = json.readTree(get(collector.url() + "/v1/chain/status").body());
                assertEquals("CATCHING_UP", status.path("sync").asText(), status.toString());
                String catching = get(collector.url() + "/q/metrics").body();
                assertTrue(catching.contains("gonka_chain_sync{state=\"CATCHING_UP\"} 1.0")
                        && catching.contains("gonka_chain_sync{state=\"LIVE\"} 0.0"), catching);
                assertTrue(status.path("reason").asText().contains("catching up"), status.toString());
                put(chain.url() + "/sim/v1/faults", "{\"catching_up\": false}");
                await().atMost(Duration.ofSeconds(20)).until(() -> get(ready).statusCode() == 200);
            } finally {
                collector.stop();
            }
        }
    }

    /** /v1/epochs/latest at a height the collector has processed and the chain is at: the chain's epoch and phase. */
    void matchesTheChainsStageTable(ServiceProcess collector, ServiceProcess chain, long height) throws Exception {
        JsonNode latest = json.readTree(get(collector.url() + "/v1/epochs/latest").body());
        JsonNode state = json.readTree(get(chain.url() + "/sim/v1/state").body());
        assertEquals(height, state.path("height").asLong());
        assertEquals(height, latest.path("block_height").asLong());
        assertEquals(state.path("latest_epoch").asLong(), latest.path("latest_epoch").path("index").asLong());
        assertEquals(state.path("latest_poc_start").asLong(), latest.path("latest_epoch").path("poc_start_block_height").asLong());
        assertEquals(state.path("phase").asText(), latest.path("phase").asText(), "phase at " + height);
        assertEquals(120, latest.path("epoch_params").path("epoch_length").asLong(), "the chain's parameters");
    }

    void blocks(ServiceProcess chain, int n) throws Exception {
        if (n > 0) {
            assertEquals(200, post(chain.url() + "/sim/v1/blocks?n=" + n, "").statusCode());
        }
    }

    String hash(ServiceProcess chain, long height) throws Exception {
        return json.readTree(get(chain.url() + "/block?height=" + height).body()).path("result").path("block_id").path("hash").asText();
    }

    void awaitProcessed(ServiceProcess collector, long height) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode health = json.readTree(get(collector.url() + "/q/health/ready").body());
            for (JsonNode check : health.path("checks")) {
                if (check.path("name").asText().equals("chain")) {
                    return check.path("data").path("processed_height").asLong() >= height;
                }
            }
            return false;
        });
    }

    void awaitRound(StubRegistry registry, long epoch, long pocStart, String hash) {
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.rounds().stream().map(this::read).anyMatch(r ->
                r.path("epoch").asLong() == epoch && r.path("poc_start_block_height").asLong() == pocStart
                        && r.path("block_hash").asText().equals(hash)));
    }

    JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }
}
