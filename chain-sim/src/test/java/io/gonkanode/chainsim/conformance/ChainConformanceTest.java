package io.gonkanode.chainsim.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * chain-sim driven only through its RPC and websocket by a client written here from the specs (its own protobuf
 * encoder and signer): blocks and NewBlock frames, the epoch state machine of reads §2.4 against the stage table,
 * a host's signed transactions (seed, commit, weight distribution, vote) in and out of their windows, and bad input.
 * Blocks are made on demand ({@code POST /sim/v1/blocks}), so nothing depends on timing.
 */
@QuarkusTest
@TestProfile(ChainConformanceTest.Profile.class)
class ChainConformanceTest {

    static final String COLD = HostClient.COLD;
    static final String MODEL = HostClient.MODEL;
    static final String CHAIN = "gonka-conformance";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sim.chain.produce-blocks", "false", "sim.chain.id", CHAIN, "sim.chain.epoch", "fast",
                    "sim.chain.host.account-pubkey", HostClient.COLD_PUB, "sim.chain.host.warm-pubkey", HostClient.WARM_PUB,
                    "sim.chain.peers", "0");
        }
    }

    @TestHTTPResource("/websocket")
    URI websocket;

    final ObjectMapper json = new ObjectMapper();
    final HostClient host = new HostClient(CHAIN);

    byte[] tx(String typeUrl, byte[] inner, long gas, String chainId) throws Exception {
        return host.tx(typeUrl, inner, gas, chainId);
    }

    static long[] latestEpoch() {
        return HostClient.latestEpoch();
    }

    static long currentEpoch() {
        return HostClient.currentEpoch();
    }

    static void advanceTo(long height) {
        long now = Rpc.height();
        if (height > now) {
            Rpc.blocks((int) (height - now));
        }
    }

    static JsonPath include(byte[] tx) {
        return HostClient.include(tx);
    }

    @Test
    void aWholeRoundThroughRpcAndWebsocket() throws Exception {
        List<JsonNode> frames = new CopyOnWriteArrayList<>();
        URI wsUri = URI.create(websocket.toString().replaceFirst("^http", "ws"));
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(wsUri, new WebSocket.Listener() {
            final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        frames.add(json.readTree(partial.toString()));
                    } catch (Exception e) {
                        frames.add(null);
                    }
                    partial.setLength(0);
                }
                w.request(1);
                return null;
            }
        }).join();
        ws.sendText("{\"jsonrpc\": \"2.0\", \"method\": \"subscribe\", \"id\": \"1\", \"params\": [\"tm.event='NewBlock'\"]}", true).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> !frames.isEmpty());
        assertEquals("{}", frames.get(0).path("result").toString(), "the subscription is acknowledged with an empty result");

        JsonPath status = Rpc.call("status", Map.of());
        assertEquals(CHAIN, status.getString("result.node_info.network"));
        long start = Rpc.height();

        // epoch 0 until the first PoC start P = epoch_length − epoch_shift = 20 (fast parameters)
        advanceTo(19);
        assertEquals(0, latestEpoch()[0]);
        advanceTo(20);
        long[] latest = latestEpoch();
        assertEquals(1, latest[0], "at P the upcoming epoch appears");
        assertEquals(20, latest[1]);
        assertEquals(0, currentEpoch(), "the effective epoch flips only at set-new-validators");

        // the host's seed at P: landing in block 21
        byte[] seed = Proto.message().string(1, COLD).varint(2, 1).string(3, "ab".repeat(64)).build();
        JsonPath seedTx = include(tx("/inference.inference.MsgSubmitSeed", seed, 50_000 + 80_000, CHAIN));
        assertEquals(0, seedTx.getInt("result.tx_result.code"), seedTx.getString("result.tx_result.log"));

        // a commit in the exchange window [21, 40]; the same count again is refused; a larger one is taken
        byte[] root = new byte[32];
        root[0] = 7;
        byte[] commit = commit(20, 2, root);
        JsonPath committed = include(tx("/inference.inference.MsgPoCV2StoreCommit", commit, 50_000 + 600_000 + 300, CHAIN));
        assertEquals(0, committed.getInt("result.tx_result.code"), committed.getString("result.tx_result.log"));
        JsonPath same = Rpc.broadcast(tx("/inference.inference.MsgPoCV2StoreCommit", commit, 650_300, CHAIN));
        assertEquals(1137, same.getInt("result.code"));
        assertEquals("inference", same.getString("result.codespace"));
        assertTrue(same.getString("result.log").startsWith("count must increase: got 2, last recorded 2"), same.getString("result.log"));
        include(tx("/inference.inference.MsgPoCV2StoreCommit", commit(20, 5, root), 50_000 + 600_000 + 750, CHAIN));

        // gas below the per-message table runs out; a wrong chain id fails the signature
        JsonPath lowGas = Rpc.broadcast(tx("/inference.inference.MsgPoCV2StoreCommit", commit(20, 6, root), 100_000, CHAIN));
        assertEquals(11, lowGas.getInt("result.code"));
        JsonPath wrongChain = Rpc.broadcast(tx("/inference.inference.MsgPoCV2StoreCommit", commit(20, 6, root), 651_000, "gonka-mainnet"));
        assertEquals(4, wrongChain.getInt("result.code"));
        assertThat(wrongChain.getString("result.log"), "signature verification failed");

        // after the exchange deadline (40) commits are too late
        advanceTo(41);
        JsonPath late = Rpc.broadcast(tx("/inference.inference.MsgPoCV2StoreCommit", commit(20, 9, root), 651_400, CHAIN));
        assertEquals(1108, late.getInt("result.code"));
        assertThat(late.getString("result.log"), "PoC exchange window closed");

        // the weight distribution must add up to the committed count (5)
        byte[] badSplit = distribution(20, 3, 1);
        assertEquals(1137, Rpc.broadcast(tx("/inference.inference.MsgMLNodeWeightDistribution", badSplit, 300_000, CHAIN)).getInt("result.code"));
        include(tx("/inference.inference.MsgMLNodeWeightDistribution", distribution(20, 3, 2), 300_000, CHAIN));

        // votes only in the validation exchange window [P+23+1, P+53] = [44, 73]
        byte[] vote = Proto.message().string(1, COLD).varint(2, 20).message(3, Proto.message().string(1, COLD).varint(2, 200)
                .string(3, MODEL)).build();
        JsonPath early = Rpc.broadcast(tx("/inference.inference.MsgSubmitPocValidationsV2", vote, 300_000, CHAIN));
        assertEquals(1108, early.getInt("result.code"));
        advanceTo(44);
        include(tx("/inference.inference.MsgSubmitPocValidationsV2", vote, 300_000, CHAIN));

        // the end of validation (P + 20 + 3 + 30 = 73) writes epoch 1's active participants: the host passed its
        // vote (the only voting power at the start), had a seed and a distribution: weight = floor(5 × 0.449) = 2
        advanceTo(73);
        byte[] key = java.nio.ByteBuffer.allocate(34).put("ActiveParticipants/value/".getBytes(StandardCharsets.US_ASCII))
                .putLong(1).put((byte) '/').array();
        JsonPath ap = Rpc.call("abci_query", Map.of("path", "store/inference/key", "data", HexFormat.of().formatHex(key),
                "height", "0", "prove", true));
        assertEquals(0, ap.getInt("result.response.code"));
        assertNotNull(ap.get("result.response.proof_ops.ops"), "proof ops when asked to prove");
        byte[] participants = Base64.getDecoder().decode(ap.getString("result.response.value"));
        assertEquals(1, Proto.first(participants, 6).varint(), "epoch_id");
        assertEquals(20, Proto.first(participants, 3).varint(), "poc_start_block_height");
        assertEquals(73, Proto.first(participants, 5).varint(), "created_at_block_height");
        assertEquals(75, Proto.first(participants, 4).varint(), "effective_block_height");
        byte[] host = Proto.first(participants, 1).bytes();
        assertEquals(COLD, Proto.first(host, 1).text());
        assertEquals(2, Proto.first(host, 3).varint(), "weight");
        assertEquals("http://localhost:8000", Proto.first(host, 4).text());
        byte[] group = Rpc.query("/inference.inference.Query/EpochGroupData", Proto.message().varint(1, 1).build());
        byte[] members = Proto.first(Proto.first(group, 1).bytes(), 8).bytes();
        assertEquals(COLD, Proto.first(members, 1).text(), "the host is a member of epoch 1's group");

        // set-new-validators at P + 20 + 3 + 30 + 5 = 78 makes epoch 1 effective
        advanceTo(77);
        assertEquals(0, currentEpoch());
        advanceTo(78);
        assertEquals(1, currentEpoch());

        // epoch 2's set-new-validators (P2 = 140, + 58 = 198) settles epoch 1: the host may claim 2 × 1,000 twice over
        advanceTo(198);
        byte[] settle = Rpc.query("/inference.inference.Query/SettleAmount", Proto.message().string(1, COLD).build());
        byte[] amount = Proto.first(settle, 1).bytes();
        assertEquals(2000, Proto.first(amount, 3).varint(), "work_coins");
        assertEquals(1, Proto.first(amount, 4).varint(), "epoch_index");
        assertEquals("ab".repeat(64), Proto.first(amount, 5).text(), "the seed signature of the epoch");
        byte[] claim = Proto.message().string(1, COLD).varint(2, 2462127647132108761L).varint(3, 1).build();
        JsonPath claimed = include(tx("/inference.inference.MsgClaimRewards", claim, 50_000 + 700_000, CHAIN));
        assertThat(claimed.getString("result.tx_result.events.find { it.type == 'inference.claim_rewards' }.attributes"
                + ".find { it.key == 'result' }.value"), "Rewards claimed");
        JsonPath gone = Rpc.call("abci_query", Map.of("path", "/inference.inference.Query/SettleAmount",
                "data", HexFormat.of().formatHex(Proto.message().string(1, COLD).build())));
        assertEquals(38, gone.getInt("result.response.code"), "paid out");
        JsonPath again = include(tx("/inference.inference.MsgClaimRewards", claim, 750_000, CHAIN));
        assertEquals(0, again.getInt("result.tx_result.code"), "a second claim is a request-level refusal, code 0");
        assertThat(again.getString("result.tx_result.events.find { it.type == 'inference.claim_rewards' }.attributes"
                + ".find { it.key == 'result' }.value"), "No settle amount found");

        // every block came as a NewBlock frame, in order, with the block's own id
        long end = Rpc.height();
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.size() - 1 >= end - start);
        List<Long> heights = new ArrayList<>();
        for (JsonNode f : frames.subList(1, frames.size())) {
            assertEquals("tendermint/event/NewBlock", f.path("result").path("data").path("type").asText());
            assertEquals("1", f.path("id").asText());
            JsonNode value = f.path("result").path("data").path("value");
            heights.add(Long.parseLong(value.path("block").path("header").path("height").asText()));
            String hash = value.path("block_id").path("hash").asText();
            assertTrue(hash.matches("[0-9A-F]{64}"), hash);
        }
        for (int i = 1; i < heights.size(); i++) {
            assertEquals(heights.get(i - 1) + 1, heights.get(i), "blocks in order, none missing");
        }
        JsonNode at50 = frames.stream().skip(1).filter(f -> f.path("result").path("data").path("value").path("block").path("header")
                .path("height").asText().equals("50")).findFirst().orElseThrow();
        assertEquals(Rpc.call("block", Map.of("height", "50")).getString("result.block_id.hash"),
                at50.path("result").path("data").path("value").path("block_id").path("hash").asText());
        ws.abort();
    }

    static byte[] commit(long stage, int count, byte[] root) {
        return HostClient.commit(stage, count, root);
    }

    static byte[] distribution(long stage, int first, int second) {
        return HostClient.distribution(stage, first, second);
    }

    static void assertThat(String text, String contains) {
        assertTrue(text.contains(contains), text);
    }

    @Test
    void aFullUpgradeHaltsTheChainAtItsHeight() {
        byte[] none = Rpc.query("/cosmos.upgrade.v1beta1.Query/CurrentPlan", new byte[0]);
        assertEquals(0, none.length, "no plan");
        long h = Rpc.height();
        given().contentType("application/json").body("{\"name\": \"v0.2.15\", \"height\": " + (h + 2) + ", \"info\": \"{}\"}")
                .post("/sim/v1/upgrade-plan").then().statusCode(200);
        byte[] plan = Proto.first(Rpc.query("/cosmos.upgrade.v1beta1.Query/CurrentPlan", new byte[0]), 1).bytes();
        assertEquals("v0.2.15", Proto.first(plan, 1).text());
        assertEquals(h + 2, Proto.first(plan, 3).varint());
        assertEquals("{}", Proto.first(plan, 4).text());
        Rpc.blocks(1);
        given().post("/sim/v1/blocks?n=1").then().statusCode(409).body("error", containsString("UPGRADE \"v0.2.15\" NEEDED at height: " + (h + 2)));
        assertEquals(h + 1, Rpc.height(), "the chain halts before the plan's height");
        given().delete("/sim/v1/upgrade-plan").then().statusCode(200);
        Rpc.blocks(1);
        assertEquals(h + 2, Rpc.height(), "the upgraded binary goes on");
    }

    @Test
    void badInputGetsCometBftsAnswersAndNeverStopsTheChain() {
        given().contentType("application/json").body("{not json").post("/").then().statusCode(500)
                .body("error.code", is(-32700));
        given().contentType("application/json").body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no_such_method\"}").post("/")
                .then().statusCode(200).body("error.code", is(-32601)).body("error.message", is("Method not found"));
        given().get("/block?height=999999").then().statusCode(500).body("error.code", is(-32603))
                .body("error.data", containsString("must be less than or equal to the current blockchain height"));
        JsonPath garbage = Rpc.call("abci_query", Map.of("path", "/cosmos.auth.v1beta1.Query/Account", "data", "ffffffff"));
        assertTrue(garbage.getInt("result.response.code") != 0, "garbage protobuf is an error, not a crash");
        JsonPath unknownPath = Rpc.call("abci_query", Map.of("path", "/inference.inference.Query/NoSuchQuery", "data", ""));
        assertEquals(6, unknownPath.getInt("result.response.code"));
        JsonPath notFound = Rpc.call("abci_query", Map.of("path", "/cosmos.auth.v1beta1.Query/Account",
                "data", HexFormat.of().formatHex(Proto.message().string(1, "gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw").build())));
        assertEquals(38, notFound.getInt("result.response.code"));
        JsonPath notTx = Rpc.broadcast(new byte[] {1, 2, 3});
        assertEquals(2, notTx.getInt("result.code"));
        String oversize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"broadcast_tx_sync\",\"params\":{\"tx\":\""
                + Base64.getEncoder().encodeToString(new byte[1_100_000]) + "\"}}";
        given().contentType("application/json").body(oversize).post("/").then().statusCode(500).body("error.code", is(-32700));
        long before = Rpc.height();
        Rpc.blocks(1);
        assertEquals(before + 1, Rpc.height(), "the chain goes on");
        given().contentType("application/json").body(ByteBuffer.allocate(0).array()).put("/sim/v1/faults").then().statusCode(400);
        assertNotNull(Rpc.call("health", Map.of()).get("result"));
    }
}
