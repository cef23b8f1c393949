package io.gonkanode.chainsim.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two whole epochs with six simulated peers of every behaviour, driven through chain-sim's RPC, the peers' proofs
 * APIs and a proofs API of the host under test played by the test (its own SMST, payloads, signer and verifier):
 * the peers commit, distribute and validate every committed host, the host under test through its public API with
 * signed requests; the test validates the peers the same way; the chain counts the votes. Honest and late-committing
 * hosts and the host under test get weight in both epochs; bad proofs, NaN vectors, porous nonces and an unreachable
 * API get none. Blocks are made on demand, each after the peers' work on the last one is done.
 */
@QuarkusTest
@TestProfile(PeerConformanceTest.Profile.class)
class PeerConformanceTest {

    static final String CHAIN = "gonka-peers";
    static final String PORT_PROPERTY = "chain-sim.peer-test.host-port";
    static final List<String> BEHAVIOURS = List.of("honest", "bad-proofs", "nan-vectors", "porous", "unreachable", "late-commit");
    static final int PEER_ARTIFACTS = 300;
    static final long HOST_ARTIFACTS = 64;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("sim.chain.produce-blocks", "false"), Map.entry("sim.chain.id", CHAIN),
                    Map.entry("sim.chain.epoch", "fast"), Map.entry("sim.chain.host.account-pubkey", HostClient.COLD_PUB),
                    Map.entry("sim.chain.host.warm-pubkey", HostClient.WARM_PUB),
                    Map.entry("sim.chain.host.inference-url", "http://127.0.0.1:" + hostPort()),
                    Map.entry("sim.chain.peers", "6"), Map.entry("sim.chain.peer-behaviours", String.join(",", BEHAVIOURS)),
                    Map.entry("sim.chain.peer-artifacts", Integer.toString(PEER_ARTIFACTS)),
                    Map.entry("sim.chain.peer-retries", "3"), Map.entry("sim.chain.peer-retry-backoff", "20ms"));
        }
    }

    /** The host's proofs API port, chosen once per JVM (the profile and the test may live in different class loaders). */
    static synchronized int hostPort() {
        String p = System.getProperty(PORT_PROPERTY);
        if (p == null) {
            try (ServerSocket s = new ServerSocket(0)) {
                p = Integer.toString(s.getLocalPort());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            System.setProperty(PORT_PROPERTY, p);
        }
        return Integer.parseInt(p);
    }

    static HostProofsServer hostApi;
    final HostClient host = new HostClient(CHAIN);
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startHostApi() throws IOException {
        hostApi = new HostProofsServer(hostPort());
    }

    @AfterAll
    static void stopHostApi() {
        hostApi.close();
    }

    /** One block, then wait for the peers' work on it (trees, commits, validations) to finish. */
    static void step() {
        Rpc.blocks(1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> given().get("/sim/v1/peers").then().extract().jsonPath().getInt("busy") == 0);
    }

    static void advanceTo(long height) {
        while (Rpc.height() < height) {
            step();
        }
    }

    static JsonPath include(byte[] tx) {
        JsonPath sent = Rpc.broadcast(tx);
        assertEquals(0, sent.getInt("result.code"), sent.getString("result.log"));
        step();
        return Rpc.call("tx", Map.of("hash", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sent.getString("result.hash"))),
                "prove", false));
    }

    JsonPath peers() {
        return given().get("/sim/v1/peers").then().statusCode(200).extract().jsonPath();
    }

    Map<String, String> accountsByBehaviour() {
        Map<String, String> out = new HashMap<>();
        List<Map<String, Object>> list = peers().getList("peers");
        for (Map<String, Object> p : list) {
            out.put((String) p.get("behaviour"), (String) p.get("account"));
        }
        return out;
    }

    @Test
    void twoEpochsWithEveryKindOfPeer() throws Exception {
        // the test's own tree agrees with the spec's vector before it is trusted with anything
        assertEquals("da0f6e63f2fa6d57e64ead84735aa1da6eab6a22f16a008f6827de187fa40bce",
                HexFormat.of().formatHex(new TestSmst(Map.of(0, TestSmst.tv(0), 1, TestSmst.tv(1))).root()));

        Map<String, String> account = accountsByBehaviour();
        assertEquals(6, account.size());
        Set<String> expectedActive = new TreeSet<>(List.of(HostClient.COLD, account.get("honest"), account.get("late-commit")));

        long[] stages = {20, 140};
        for (int e = 0; e < stages.length; e++) {
            long epoch = e + 1;
            long p = stages[e];
            advanceTo(p);
            assertEquals(epoch, HostClient.latestEpoch()[0]);

            // the host's seed, an early commit and the full one, and its distribution after the window
            include(host.tx("/inference.inference.MsgSubmitSeed", HostClient.seed(epoch, "ab".repeat(64)), 130_000));
            TestSmst early = hostApi.commit(p, HOST_ARTIFACTS / 2);
            include(host.tx("/inference.inference.MsgPoCV2StoreCommit", HostClient.commit(p, early.count(), early.root()),
                    650_000 + 150 * early.count()));
            advanceTo(p + 10);
            TestSmst full = hostApi.commit(p, HOST_ARTIFACTS);
            include(host.tx("/inference.inference.MsgPoCV2StoreCommit", HostClient.commit(p, full.count(), full.root()),
                    650_000 + 150 * full.count()));
            advanceTo(p + 20);
            include(host.tx("/inference.inference.MsgMLNodeWeightDistribution", HostClient.distribution(p, HOST_ARTIFACTS, 0), 200_000));

            // every peer committed in the window (the late one at its last block) and distributed
            Map<String, long[]> commits = commits(p);
            for (String b : BEHAVIOURS) {
                assertEquals(PEER_ARTIFACTS, commits.get(account.get(b))[0], b + " committed all its artifacts");
            }

            // validation starts at P + 20 + 3: every peer asks the host under test for proofs, signed
            int before = hostApi.requests.size();
            advanceTo(p + 23);
            List<JsonNode> asked = hostApi.requests.subList(before, hostApi.requests.size());
            checkRequestsFromPeers(asked, p, full, account);

            // the host validates every other committed host through its proofs API, and votes
            Map<String, Long> verdicts = new HashMap<>();
            for (Map.Entry<String, long[]> c : commits.entrySet()) {
                long weight = c.getKey().equals(HostClient.COLD) ? HOST_ARTIFACTS : validate(p, c.getKey(), c.getValue());
                verdicts.put(c.getKey(), weight);
                include(host.tx("/inference.inference.MsgSubmitPocValidationsV2", HostClient.vote(p, c.getKey(), weight), 300_000));
            }
            assertTrue(verdicts.get(account.get("honest")) > 0 && verdicts.get(account.get("late-commit")) > 0, verdicts.toString());
            for (String bad : List.of("bad-proofs", "nan-vectors", "porous", "unreachable")) {
                assertEquals(-1L, verdicts.get(account.get(bad)), bad + " fails the host's checks");
            }

            // the peers judged the same way, for the same reasons
            checkPeerVotes(p, account);

            // at the end of validation the chain counts the votes
            advanceTo(p + 53);
            Map<String, Long> active = activeParticipants(epoch);
            assertEquals(expectedActive, new TreeSet<>(active.keySet()), "epoch " + epoch + ": " + active);
            assertEquals(HOST_ARTIFACTS * 449 / 1000, active.get(HostClient.COLD), "weight = count × 0.449, truncated");
            assertEquals(PEER_ARTIFACTS * 449 / 1000, active.get(account.get("honest")));
            advanceTo(p + 58);
            assertEquals(epoch, HostClient.currentEpoch());
        }

        // epoch 2's set-new-validators (198) settled epoch 1; the peers claimed in the next block
        advanceTo(199);
        for (Map<String, Object> p : peers().<Map<String, Object>>getList("peers")) {
            boolean earned = expectedActive.contains((String) p.get("account"));
            List<Map<String, Object>> claims = ((List<Map<String, Object>>) p.get("txs")).stream()
                    .filter(t -> t.get("type").equals("MsgClaimRewards")).toList();
            assertEquals(earned ? 1 : 0, claims.size(), p.get("behaviour") + " claims only what it earned");
            if (earned) {
                assertEquals(0, claims.get(0).get("code"));
                JsonPath gone = Rpc.call("abci_query", Map.of("path", "/inference.inference.Query/SettleAmount",
                        "data", HexFormat.of().formatHex(Proto.message().string(1, (String) p.get("account")).build())));
                assertEquals(38, gone.getInt("result.response.code"), "paid out");
            }
        }

        badRequestsToAPeer(account.get("honest"), 140);
    }

    /** AllPoCV2StoreCommitsForStage: participant → {count, root as a long[] of one} with the root kept aside. */
    final Map<String, byte[]> roots = new HashMap<>();

    Map<String, long[]> commits(long stage) {
        byte[] response = Rpc.query("/inference.inference.Query/AllPoCV2StoreCommitsForStage", Proto.message().varint(1, stage).build());
        Map<String, long[]> out = new HashMap<>();
        for (Proto.Field f : Proto.read(response)) {
            byte[] c = f.bytes();
            String participant = Proto.first(c, 1).text();
            assertEquals(HostClient.MODEL, Proto.first(c, 5).text());
            out.put(participant, new long[] {Proto.first(c, 2).varint()});
            roots.put(participant, Proto.first(c, 3).bytes());
        }
        return out;
    }

    void checkRequestsFromPeers(List<JsonNode> asked, long stage, TestSmst full, Map<String, String> account) throws Exception {
        Set<String> validators = new HashSet<>();
        for (JsonNode r : asked) {
            String validator = r.path("validator_address").asText();
            String signer = r.path("validator_signer_address").asText();
            validators.add(validator);
            assertEquals(stage, r.path("poc_stage_start_block_height").asLong());
            assertEquals(HostClient.MODEL, r.path("model_id").asText());
            assertEquals(full.count(), r.path("count").asLong(), "the on-chain (final) count");
            assertEquals(Base64.getEncoder().encodeToString(full.root()), r.path("root_hash").asText());
            long[] indices = new long[r.path("leaf_indices").size()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = r.path("leaf_indices").get(i).asLong();
            }
            assertEquals(full.count(), indices.length, "a sample at least as large as the set asks for every leaf");
            assertEquals(full.count(), java.util.Arrays.stream(indices).distinct().count());
            assertTrue(Math.abs(r.path("timestamp").asLong() - nowNanos()) < 300_000_000_000L, "a current timestamp");
            // the signer is a grantee of the validator for MsgSubmitPocValidationsV2 and signed the §5.4 payload
            byte[] grantees = Rpc.query("/inference.inference.Query/GranteesByMessageType", Proto.message().string(1, validator)
                    .string(2, "/inference.inference.MsgSubmitPocValidationsV2").build());
            byte[] signerKey = null;
            for (Proto.Field g : Proto.read(grantees)) {
                if (Proto.first(g.bytes(), 1).text().equals(signer)) {
                    signerKey = Base64.getDecoder().decode(Proto.first(g.bytes(), 2).text());
                }
            }
            assertTrue(signerKey != null, signer + " is a grantee of " + validator);
            byte[] payload = TestSmst.requestPayload(stage, HostClient.MODEL, full.root(), full.count(), indices,
                    r.path("timestamp").asLong(), validator, signer);
            assertTrue(Signer.verify(signerKey, payload, Base64.getDecoder().decode(r.path("signature").asText())),
                    "the request's signature verifies");
        }
        assertEquals(new TreeSet<>(account.values()), new TreeSet<>(validators), "every peer asked the host, once");
        assertEquals(6, asked.size());
    }

    /** Asks a peer's proofs API for 200 leaves of its commitment and checks them as a validator (writes spec §6.3). */
    long validate(long stage, String participant, long[] commit) throws Exception {
        long count = commit[0];
        byte[] root = roots.get(participant);
        byte[] p = Rpc.query("/inference.inference.Query/Participant", Proto.message().string(1, participant).build());
        String url = Proto.first(Proto.first(p, 1).bytes(), 7).text();
        long[] indices = new long[(int) Math.min(count, 200)];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i * count / indices.length;
        }
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/poc/proofs")).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(proofRequest(stage, root, count, indices, nowNanos()).toString()))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return -1; // unreachable: the test does not retry
        }
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json.readTree(response.body());
        JsonNode proofs = body.path("proofs");
        // the response is signed by the peer's warm key over the §5.4 response payload
        String signer = body.path("signer_address").asText();
        byte[] signerKey = Base64.getDecoder().decode(Proto.first(Rpc.query("/inference.inference.Query/AccountByAddress",
                Proto.message().string(1, signer).build()), 1).text());
        assertTrue(Signer.verify(signerKey, TestSmst.responsePayload(stage, HostClient.MODEL, root, count, proofs,
                body.path("timestamp").asLong(), signer), Base64.getDecoder().decode(body.path("signature").asText())), "signed response");
        assertEquals(indices.length, proofs.size());
        long maxNonce = 0;
        boolean ok = true;
        for (int i = 0; i < proofs.size(); i++) {
            JsonNode item = proofs.get(i);
            assertEquals(indices[i], item.path("leaf_index").asLong(), "proofs in request order");
            int nonce = item.path("nonce_value").asInt();
            byte[] vector = Base64.getDecoder().decode(item.path("vector_bytes").asText());
            List<byte[]> elements = new ArrayList<>();
            item.path("proof").forEach(x -> elements.add(Base64.getDecoder().decode(x.asText())));
            ok &= vector.length == 24 && finite(vector)
                    && TestSmst.verify(root, count, indices[i], nonce, TestSmst.leafData(nonce, vector), elements);
            maxNonce = Math.max(maxNonce, Math.abs((long) nonce));
        }
        ok &= maxNonce < 100 * count;
        return ok ? indices.length : -1;
    }

    static boolean finite(byte[] v) {
        for (int i = 0; i < v.length; i += 2) {
            if ((((v[i + 1] & 0xff) >> 2) & 0x1f) == 0x1f) {
                return false;
            }
        }
        return true;
    }

    ObjectNode proofRequest(long stage, byte[] root, long count, long[] indices, long timestamp) throws Exception {
        byte[] payload = TestSmst.requestPayload(stage, HostClient.MODEL, root, count, indices, timestamp, HostClient.COLD, HostClient.WARM);
        ObjectNode body = json.createObjectNode().put("poc_stage_start_block_height", Long.toString(stage))
                .put("model_id", HostClient.MODEL).put("root_hash", Base64.getEncoder().encodeToString(root)).put("count", count)
                .put("validator_address", HostClient.COLD).put("validator_signer_address", HostClient.WARM).put("timestamp", timestamp)
                .put("signature", Base64.getEncoder().encodeToString(Signer.sign(HostClient.warmKey(), payload)));
        var list = body.putArray("leaf_indices");
        for (long i : indices) {
            list.add(i);
        }
        return body;
    }

    void checkPeerVotes(long stage, Map<String, String> account) {
        Map<String, String> reasons = Map.of("bad-proofs", "does not verify", "nan-vectors", "NaN", "porous", "porous",
                "unreachable", "unreachable");
        for (Map<String, Object> peer : peers().<Map<String, Object>>getList("peers")) {
            List<Map<String, Object>> votes = ((List<Map<String, Object>>) peer.get("votes")).stream()
                    .filter(v -> ((Number) v.get("stage")).longValue() == stage).toList();
            assertEquals(7, votes.size(), peer.get("name") + " voted on every committed host: " + votes);
            for (Map<String, Object> v : votes) {
                String target = (String) v.get("participant");
                long weight = ((Number) v.get("validated_weight")).longValue();
                if (target.equals(peer.get("account"))) {
                    assertTrue(weight > 0, "a peer vouches for itself");
                } else if (target.equals(HostClient.COLD) || target.equals(account.get("honest")) || target.equals(account.get("late-commit"))) {
                    assertTrue(weight > 0, peer.get("name") + " on " + target + ": " + v);
                } else {
                    String behaviour = account.entrySet().stream().filter(x -> x.getValue().equals(target)).findFirst().orElseThrow().getKey();
                    assertEquals(-1, weight, peer.get("name") + " on " + behaviour);
                    assertTrue(((String) v.get("reason")).contains(reasons.get(behaviour)), v.toString());
                }
            }
            for (Map<String, Object> t : (List<Map<String, Object>>) peer.get("txs")) {
                assertEquals(0, t.get("code"), peer.get("name") + " sent only txs the chain took: " + t);
            }
        }
    }

    /** The active participants of an epoch (store/inference/key ActiveParticipants/value/{epoch}/): address → weight. */
    static Map<String, Long> activeParticipants(long epoch) {
        byte[] key = ByteBuffer.allocate(34).put("ActiveParticipants/value/".getBytes(StandardCharsets.US_ASCII)).putLong(epoch)
                .put((byte) '/').array();
        JsonPath ap = Rpc.call("abci_query", Map.of("path", "store/inference/key", "data", HexFormat.of().formatHex(key), "height", "0",
                "prove", false));
        byte[] value = Base64.getDecoder().decode(ap.getString("result.response.value"));
        Map<String, Long> out = new HashMap<>();
        for (Proto.Field f : Proto.read(value)) {
            if (f.number() == 1) {
                Proto.Field w = Proto.first(f.bytes(), 3);
                out.put(Proto.first(f.bytes(), 1).text(), w == null ? 0 : w.varint());
            }
        }
        return out;
    }

    void badRequestsToAPeer(String peerAccount, long stage) throws Exception {
        byte[] p = Rpc.query("/inference.inference.Query/Participant", Proto.message().string(1, peerAccount).build());
        String url = Proto.first(Proto.first(p, 1).bytes(), 7).text();
        byte[] root = roots.get(peerAccount);
        long count = PEER_ARTIFACTS;
        long now = nowNanos();
        assertAnswer(url, proofRequest(stage, root, count, new long[] {0}, now).put("signature",
                Base64.getEncoder().encodeToString(new byte[64])), 401, "invalid signature");
        assertAnswer(url, proofRequest(stage, root, count, new long[] {0}, now).put("validator_signer_address", peerAccount), 401,
                "signer not authorized for validator");
        assertAnswer(url, proofRequest(stage, root, count, new long[] {0}, now).put("validator_address",
                "gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw"), 401, "validator not found");
        assertAnswer(url, proofRequest(stage, root, count, new long[501], now), 400, "too many leaf_indices (max 500)");
        assertAnswer(url, proofRequest(stage, root, count, new long[0], now), 400, "leaf_indices required");
        ObjectNode noModel = proofRequest(stage, root, count, new long[] {0}, now);
        noModel.remove("model_id");
        assertAnswer(url, noModel, 400, "model_id required");
        assertAnswer(url, proofRequest(stage, root, count, new long[] {0}, now).put("root_hash", "AAAA"), 400,
                "invalid root_hash (must be 32 bytes base64)");
        assertAnswer(url, proofRequest(stage, root, count, new long[] {0}, now - 600_000_000_000L), 400, "timestamp out of acceptable window");
        assertAnswer(url, proofRequest(stage, new byte[32], count, new long[] {0}, now), 400, "root_hash does not match store state at count");
        assertAnswer(url, proofRequest(stage, root, count - 1, new long[] {0}, now), 400, "count exceeds stored artifacts");
        assertAnswer(url, proofRequest(stage, root, count, new long[] {count}, now), 400, "leaf_index out of snapshot range");
        assertAnswer(url, proofRequest(stage - 120, root, count, new long[] {0}, now), 404,
                "not found for height (may be pruned or not yet created)");
        HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/poc/proofs"))
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, garbage.statusCode());
        assertEquals("invalid request body", json.readTree(garbage.body()).path("error").asText());

        HttpResponse<String> state = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/poc/artifacts/state?height=" + stage
                + "&model_id=" + java.net.URLEncoder.encode(HostClient.MODEL, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, state.statusCode(), state.body());
        assertEquals(count, json.readTree(state.body()).path("count").asLong());
        assertEquals(Base64.getEncoder().encodeToString(root), json.readTree(state.body()).path("root_hash").asText());

        // by nonce: nonces absent from the snapshot are left out
        long timestamp = nowNanos();
        byte[] byNoncePayload = TestSmst.byNonceRequestPayload(stage, HostClient.MODEL, root, count, new int[] {0, 5, 999_999},
                timestamp, HostClient.COLD, HostClient.WARM);
        ObjectNode byNonce = json.createObjectNode().put("poc_stage_start_block_height", stage).put("model_id", HostClient.MODEL)
                .put("root_hash", Base64.getEncoder().encodeToString(root)).put("count", count).put("validator_address", HostClient.COLD)
                .put("validator_signer_address", HostClient.WARM).put("timestamp", timestamp)
                .put("signature", Base64.getEncoder().encodeToString(Signer.sign(HostClient.warmKey(), byNoncePayload)));
        byNonce.putArray("nonces").add(0).add(5).add(999_999);
        HttpResponse<String> found = post(url + "/v1/poc/proofs/by-nonce", byNonce);
        assertEquals(200, found.statusCode(), found.body());
        JsonNode items = json.readTree(found.body()).path("proofs");
        assertEquals(2, items.size());
        assertEquals(5, items.get(1).path("nonce_value").asInt());

        // the per-IP limit: 5 a second with bursts of 30
        int limited = 0;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = post(url + "/v1/poc/proofs", json.createObjectNode());
            if (r.statusCode() == 429) {
                assertEquals("rate limit exceeded", json.readTree(r.body()).path("error").asText());
                limited++;
            }
        }
        assertTrue(limited > 0, "100 requests at once are limited");
    }

    HttpResponse<String> post(String url, JsonNode body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    void assertAnswer(String url, ObjectNode body, int status, String error) throws Exception {
        HttpResponse<String> r = post(url + "/v1/poc/proofs", body);
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(error, json.readTree(r.body()).path("error").asText());
    }

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
