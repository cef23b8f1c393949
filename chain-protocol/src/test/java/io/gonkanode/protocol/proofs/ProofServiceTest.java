package io.gonkanode.protocol.proofs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.protocol.crypto.Secp256k1;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.smst.Smst;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proofs service's answers: the bytes it writes in one pass, their signature, and what a validator checks. */
class ProofServiceTest {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final long STAGE = 20;
    static final ObjectMapper JSON = new ObjectMapper();
    static final SigningKey VALIDATOR = SigningKey.ofHex("6c7b2f1c5d0e4a8b9f3a2d1c0b9e8f7a6d5c4b3a29181716151413121110a0b1");
    static final SigningKey HOST = SigningKey.ofHex("1f2e3d4c5b6a79880716253443526170f0e1d2c3b4a5968778695a4b3c2d1e0f");

    final Smst tree = tree(777);
    final TreeSnapshot snapshot = new TreeSnapshot(tree);
    final ProofClient.Target target = new ProofClient.Target("", STAGE, MODEL, tree.root(), tree.count());
    final ProofClient validator = new ProofClient(null, VALIDATOR.address(), VALIDATOR, System::nanoTime);

    static Smst tree(int n) {
        SplittableRandom rnd = new SplittableRandom(5);
        List<Smst.Leaf> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] vector = new byte[ProofClient.VECTOR_BYTES];
            for (int j = 0; j < vector.length; j++) {
                vector[j] = (byte) rnd.nextInt(0x3c); // finite fp16 values, whichever byte is the high one
            }
            leaves.add(new Smst.Leaf(2 * i + 1, vector)); // dense, and odd: an even nonce is never stored
        }
        return Smst.of(leaves);
    }

    ProofService service(SigningKey hostKey) {
        ProofStore store = new ProofStore() {
            @Override
            public long activeStage() {
                return STAGE;
            }

            @Override
            public Optional<State> latest(long stage, String modelId) {
                return Optional.of(new State(snapshot.count(), snapshot.root()));
            }

            @Override
            public Optional<Snapshot> at(long stage, String modelId, long count) {
                return count == snapshot.count() && MODEL.equals(modelId) ? Optional.of(snapshot) : Optional.empty();
            }
        };
        return new ProofService(store, v -> v.equals(VALIDATOR.address()) ? Optional.of(Map.of(v, VALIDATOR.publicKey())) : Optional.empty(),
                hostKey, System::nanoTime);
    }

    /** What the answer held before it was written in one pass: a Jackson tree of the proofs' base64 texts. */
    ObjectNode expected(long[] indices) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode proofs = out.putArray("proofs");
        for (long index : indices) {
            ObjectNode p = proofs.addObject().put("leaf_index", index).put("nonce_value", tree.leaf((int) index).nonce())
                    .put("vector_bytes", Base64.getEncoder().encodeToString(tree.leaf((int) index).vector()));
            ArrayNode elements = p.putArray("proof");
            tree.proof((int) index).forEach(e -> elements.add(Base64.getEncoder().encodeToString(e)));
        }
        return out;
    }

    @Test
    void anAnswerIsTheJsonUpstreamWritesSignedOverItsProofs() throws Exception {
        long[] indices = Sampling.leafIndices("ab", "seed", STAGE, MODEL, tree.count(), 300);
        ProofService.Answer answer = service(HOST).proofs(JSON.writeValueAsBytes(validator.request(target, indices)));
        assertEquals(200, answer.status(), new String(answer.json()));
        assertEquals(indices.length, answer.proofs());

        JsonNode got = JSON.readTree(answer.json());
        ObjectNode want = expected(indices).put("signer_address", HOST.address()).put("timestamp", got.path("timestamp").asLong())
                .put("signature", got.path("signature").asText());
        assertArrayEquals(JSON.writeValueAsBytes(want), answer.json(), "byte for byte what Jackson writes of the same fields, in the same order");

        List<ProofPayloads.Item> items = new ArrayList<>();
        for (JsonNode p : got.path("proofs")) {
            List<String> proof = new ArrayList<>();
            p.path("proof").forEach(e -> proof.add(e.asText()));
            items.add(new ProofPayloads.Item(p.path("leaf_index").asLong(), p.path("nonce_value").asInt(), p.path("vector_bytes").asText(), proof));
        }
        byte[] payload = ProofPayloads.response(STAGE, MODEL, tree.root(), tree.count(), items, got.path("timestamp").asLong(), HOST.address());
        assertTrue(Secp256k1.verify(HOST.publicKey(), payload, Base64.getDecoder().decode(got.path("signature").asText())),
                "the signature covers the proofs as a validator re-reads them from the JSON");
        assertInstanceOf(ProofClient.Passed.class, ProofClient.check(target, indices, got.path("proofs")));
    }

    @Test
    void anAnswerWithoutAHostKeyCarriesTheProofsUnsigned() throws Exception {
        long[] indices = {0, 1, tree.count() - 1};
        ProofService.Answer answer = service(null).proofs(JSON.writeValueAsBytes(validator.request(target, indices)));
        assertEquals(200, answer.status());
        assertArrayEquals(JSON.writeValueAsBytes(expected(indices)), answer.json());
    }

    @Test
    void byNonceLeavesOutNoncesTheSnapshotDoesNotHold() throws Exception {
        int present = tree.leaf(5).nonce();
        int absent = 2; // every stored nonce is odd
        long timestamp = System.nanoTime();
        int[] nonces = {absent, present};
        byte[] signed = ProofPayloads.byNonceRequest(STAGE, MODEL, tree.root(), tree.count(), nonces, timestamp, VALIDATOR.address(),
                VALIDATOR.address());
        ObjectNode body = JSON.createObjectNode().put("poc_stage_start_block_height", STAGE).put("model_id", MODEL)
                .put("root_hash", Base64.getEncoder().encodeToString(tree.root())).put("count", tree.count())
                .put("validator_address", VALIDATOR.address()).put("validator_signer_address", VALIDATOR.address()).put("timestamp", timestamp)
                .put("signature", Base64.getEncoder().encodeToString(VALIDATOR.sign(signed)));
        body.putArray("nonces").add(absent).add(present);
        ProofService.Answer answer = service(HOST).proofsByNonce(JSON.writeValueAsBytes(body));
        assertEquals(200, answer.status(), new String(answer.json()));
        assertEquals(1, answer.proofs());
        JsonNode proofs = JSON.readTree(answer.json()).path("proofs");
        assertEquals(expected(new long[] {5}).path("proofs").toString(), proofs.toString());
    }

    @Test
    void refusalsAreUpstreamsErrorObjects() throws Exception {
        ProofService.Answer answer = service(HOST).proofs(JSON.writeValueAsBytes(validator.request(target, new long[] {tree.count()})));
        assertEquals(400, answer.status());
        assertEquals("{\"error\":\"leaf_index out of snapshot range\"}", new String(answer.json()));
        assertEquals(0, answer.proofs());
    }
}
