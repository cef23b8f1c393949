package io.gonkanode.collector.proofs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.collector.ChainHost;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.protocol.crypto.Secp256k1;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.proofs.ProofClient;
import io.gonkanode.protocol.proofs.ProofPayloads;
import io.gonkanode.protocol.smst.Smst;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.gonkanode.collector.ChainHost.COLD;
import static io.gonkanode.collector.ChainHost.QWEN;
import static io.gonkanode.collector.ChainHost.WARM;
import static io.gonkanode.collector.ChainHost.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proofs API (writes spec §5) on chain-sim: after this host committed 180, then 300 artifacts, a signed request gets
 * proofs that verify against the on-chain root with a validator's own checks, in request order, with a signed answer, at
 * either count (the early one is what other validators' early-share guard asks for); by-nonce
 * leaves absent nonces out; every bad request of §5.2 gets upstream's status and text; a client over its rate gets 429.
 * And the network's view: chain-sim's honest peer validates this host through this API and votes for it.
 */
class ProofsIT {

    static final String STAGE_ERROR = "not found for height (may be pruned or not yet created)";

    @TempDir
    Path dir;

    final AtomicLong client = new AtomicLong(1);

    @Test
    void validatorsGetProofsThatVerifyAndBadRequestsUpstreamsErrors() throws Exception {
        try (ChainHost host = new ChainHost(dir, Map.of("SIM_CHAIN_PEERS", "1"), Map.of())) {
            host.stepTo(21);
            host.awaitProcessed(21);
            host.post(20, 1, batch(0, 180));
            host.awaitOnChain("commit:", t -> t.toString().contains("MsgPoCV2StoreCommit")
                    && t.path("signer").asText().equals(WARM.address()) && t.findValue("entries").get(0).path("count").asLong() == 180);
            host.post(20, 2, batch(180, 120));
            JsonNode commit = host.awaitOnChain("commit:", t -> t.toString().contains("MsgPoCV2StoreCommit")
                    && t.path("signer").asText().equals(WARM.address()) && t.findValue("entries").get(0).path("count").asLong() == 300);
            Smst tree = host.tree(20, 300);
            assertEquals(java.util.HexFormat.of().formatHex(tree.root()), commit.findValue("entries").get(0).path("root_hash").asText());
            String api = host.collector.url();
            ProofClient.Target target = new ProofClient.Target(api, 20, QWEN, tree.root(), 300);
            ProofClient validator = new ProofClient(HttpClient.newHttpClient(), COLD.address(), WARM, ProofsIT::now);

            // a signed request: proofs in request order that pass a validator's checks, and a signed answer
            long[] indices = {299, 0, 17, 150};
            HttpResponse<String> ok = post(api + "/v1/poc/proofs", validator.request(target, indices).toString());
            assertEquals(200, ok.statusCode(), ok.body());
            JsonNode answer = host.json.readTree(ok.body());
            assertInstanceOf(ProofClient.Passed.class, ProofClient.check(target, indices, answer.path("proofs")));
            assertEquals(299, answer.path("proofs").get(0).path("leaf_index").asLong());
            assertEquals(tree.leaf(17).nonce(), answer.path("proofs").get(2).path("nonce_value").asInt());
            assertSignedAnswer(answer, target);

            // the earlier committed count stays provable (what the early-share guard of other validators asks for)
            Smst early = host.tree(20, 180);
            ProofClient.Target earlyTarget = new ProofClient.Target(api, 20, QWEN, early.root(), 180);
            HttpResponse<String> atEarly = post(api + "/v1/poc/proofs", validator.request(earlyTarget, new long[] {0, 179}).toString());
            assertEquals(200, atEarly.statusCode(), atEarly.body());
            assertInstanceOf(ProofClient.Passed.class, ProofClient.check(earlyTarget, new long[] {0, 179},
                    host.json.readTree(atEarly.body()).path("proofs")));

            // by nonce: the stored ones, absent ones left out
            ObjectNode byNonce = byNonce(target, new int[] {5, 123_456, 250});
            JsonNode nonces = host.json.readTree(post(api + "/v1/poc/proofs/by-nonce", byNonce.toString()).body());
            assertEquals(2, nonces.path("proofs").size(), nonces.toString());
            assertEquals(5, nonces.path("proofs").get(0).path("nonce_value").asInt());
            assertEquals(250, nonces.path("proofs").get(1).path("nonce_value").asInt());

            JsonNode state = host.json.readTree(host.get(api + "/v1/poc/artifacts/state?height=20&model_id=" + QWEN.replace("/", "%2F")).body());
            assertEquals(300, state.path("count").asLong(), state.toString());
            assertEquals(Base64.getEncoder().encodeToString(tree.root()), state.path("root_hash").asText());
            assertError(host.get(api + "/v1/poc/artifacts/state?height=19&model_id=x"), 404, STAGE_ERROR);
            assertError(host.get(api + "/v1/poc/artifacts/state?model_id=x"), 400, "height query parameter required");

            refusesBadRequests(host, validator, target);

            // the network's view: the honest peer validates this host through this API at validation start (43) and votes n_total
            host.stepTo(43);
            JsonNode vote = host.stepUntilOnChain(t -> t.toString().contains("MsgSubmitPocValidationsV2")
                    && t.toString().contains(COLD.address()) && !t.path("signer").asText().equals(WARM.address()));
            for (JsonNode v : vote.findValue("validations")) {
                if (v.path("participant_address").asText().equals(COLD.address())) {
                    assertTrue(v.path("validated_weight").asLong() > 0, "the peer voted for this host: " + vote);
                }
            }
        }
    }

    void refusesBadRequests(ChainHost host, ProofClient validator, ProofClient.Target target) throws Exception {
        String url = host.collector.url() + "/v1/poc/proofs";
        long[] one = {1};
        assertError(post(url, "{not json"), 400, "invalid request body");
        assertError(post(url, with(validator.request(target, one), "leaf_indices", null)), 400, "leaf_indices required");
        assertError(post(url, validator.request(target, new long[501]).toString()), 400, "too many leaf_indices (max 500)");
        assertError(post(url, with(validator.request(target, one), "model_id", null)), 400, "model_id required");
        assertError(post(url, with(validator.request(target, one), "validator_signer_address", "")), 400, "validator_signer_address required");
        assertError(post(url, with(validator.request(target, one), "root_hash", "AAAA")), 400, "invalid root_hash (must be 32 bytes base64)");
        ObjectNode old = validator.request(target, one);
        old.put("timestamp", now() - 600_000_000_000L);
        assertError(post(url, old.toString()), 400, "timestamp out of acceptable window");
        SigningKey stranger = SigningKey.of(Hashes.sha256("a stranger".getBytes(StandardCharsets.US_ASCII)));
        assertError(post(url, new ProofClient(HttpClient.newHttpClient(), stranger.address(), stranger, ProofsIT::now)
                .request(target, one).toString()), 401, "validator not found");
        assertError(post(url, new ProofClient(HttpClient.newHttpClient(), COLD.address(), stranger, ProofsIT::now)
                .request(target, one).toString()), 401, "signer not authorized for validator");
        assertError(post(url, with(validator.request(target, one), "signature", "!!")), 400, "invalid signature encoding");
        ObjectNode forged = validator.request(target, one);
        forged.putArray("leaf_indices").add(2);
        assertError(post(url, forged.toString()), 401, "invalid signature");
        assertError(post(url, validator.request(new ProofClient.Target(target.inferenceUrl(), 19, QWEN, target.root(), 300), one).toString()),
                404, STAGE_ERROR);
        assertError(post(url, validator.request(new ProofClient.Target(target.inferenceUrl(), 20, QWEN, target.root(), 299), one).toString()),
                400, "count exceeds stored artifacts");
        assertError(post(url, validator.request(new ProofClient.Target(target.inferenceUrl(), 20, QWEN, new byte[32], 300), one).toString()),
                400, "root_hash does not match store state at count");
        assertError(post(url, validator.request(target, new long[] {300}).toString()), 400, "leaf_index out of snapshot range");
        assertError(post(host.collector.url() + "/v1/poc/proofs/by-nonce", with(byNonce(target, new int[] {1}), "nonces", null)), 400,
                "nonces required");

        // one client asking faster than 5 a second: its burst of 30 goes through, then it is turned away (however
        // slowly this machine answers, the bucket only refills: at least 30 pass before the first refusal)
        int passed = 0;
        HttpResponse<String> refused = null;
        while (refused == null && passed < 1000) {
            HttpResponse<String> r = post(url, "{}", "10.9.9.9");
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                passed++;
            }
        }
        assertTrue(passed >= 30 && passed < 1000, passed + " requests passed before the first refusal (burst 30)");
        assertError(refused, 429, "rate limit exceeded");
    }

    /** The answer is signed by this host's warm key over writes spec §5.4's response payload. */
    static void assertSignedAnswer(JsonNode answer, ProofClient.Target t) {
        List<ProofPayloads.Item> items = new ArrayList<>();
        for (JsonNode p : answer.path("proofs")) {
            List<String> proof = new ArrayList<>();
            p.path("proof").forEach(e -> proof.add(e.asText()));
            items.add(new ProofPayloads.Item(p.path("leaf_index").asLong(), p.path("nonce_value").asInt(), p.path("vector_bytes").asText(), proof));
        }
        assertEquals(WARM.address(), answer.path("signer_address").asText());
        byte[] payload = ProofPayloads.response(t.stage(), t.modelId(), t.root(), t.count(), items, answer.path("timestamp").asLong(),
                WARM.address());
        assertTrue(Secp256k1.verify(WARM.publicKey(), payload, Base64.getDecoder().decode(answer.path("signature").asText())));
    }

    ObjectNode byNonce(ProofClient.Target t, int[] nonces) {
        long timestamp = now();
        byte[] payload = ProofPayloads.byNonceRequest(t.stage(), t.modelId(), t.root(), t.count(), nonces, timestamp, COLD.address(),
                WARM.address());
        ObjectNode body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("poc_stage_start_block_height", t.stage())
                .put("model_id", t.modelId()).put("root_hash", Base64.getEncoder().encodeToString(t.root())).put("count", t.count())
                .put("validator_address", COLD.address()).put("validator_signer_address", WARM.address()).put("timestamp", timestamp)
                .put("signature", Base64.getEncoder().encodeToString(WARM.sign(payload)));
        var list = body.putArray("nonces");
        for (int n : nonces) {
            list.add(n);
        }
        return body;
    }

    static String with(ObjectNode body, String field, String value) {
        if (value == null) {
            body.remove(field);
        } else {
            body.put(field, value);
        }
        return body.toString();
    }

    void assertError(HttpResponse<String> r, int status, String error) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("{\"error\":\"" + error + "\"}", r.body());
    }

    /** Each request from its own address, so the rate limit is met only where it is meant to be. */
    HttpResponse<String> post(String url, String body) throws Exception {
        return post(url, body, "10.0." + (client.get() / 250) + "." + (client.getAndIncrement() % 250));
    }

    HttpResponse<String> post(String url, String body, String from) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-Forwarded-For", from).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static long now() {
        Instant n = Instant.now();
        return n.getEpochSecond() * 1_000_000_000L + n.getNano();
    }
}
