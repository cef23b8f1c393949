package io.gonkanode.protocol.proofs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.protocol.crypto.Secp256k1;
import io.gonkanode.protocol.crypto.SigningKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A host's proofs API (writes spec §5) without its transport: {@code POST /v1/poc/proofs},
 * {@code POST /v1/poc/proofs/by-nonce} and {@code GET /v1/poc/artifacts/state}, with upstream's checks in
 * upstream's order, its error texts and codes, and signed responses.
 */
public final class ProofService {

    public static final int MAX_ITEMS = 500;
    static final long TIMESTAMP_WINDOW_NANOS = 5L * 60 * 1_000_000_000L;
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP answer: status, the JSON body's bytes as they go out, and how many proofs it carries. */
    public record Answer(int status, byte[] json, int proofs) {
        public static Answer error(int status, String message) {
            return of(status, F.objectNode().put("error", message));
        }

        static Answer of(int status, ObjectNode body) {
            try {
                return new Answer(status, JSON.writeValueAsBytes(body), 0);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e); // a tree of plain values always writes
            }
        }

        /** The body as a JSON tree (for tests and logs; the wire takes {@link #json()}). */
        public ObjectNode body() {
            try {
                return (ObjectNode) JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Who may sign for a validator account: signer address → public key; empty when the account is unknown. */
    @FunctionalInterface
    public interface Signers {
        Optional<Map<String, byte[]>> of(String validatorAddress);
    }

    private final ProofStore store;
    private final Signers signers;
    private final SigningKey key;
    private final LongSupplier clockNanos;

    /** {@code key}: the responding host's warm key, which signs the answers (none: answers go unsigned, as upstream's when signing fails). */
    public ProofService(ProofStore store, Signers signers, SigningKey key, LongSupplier clockNanos) {
        this.store = store;
        this.signers = signers;
        this.key = key;
        this.clockNanos = clockNanos;
    }

    /** A validated request: the fields of both proof routes. */
    private record Request(long stage, String model, byte[] root, long count, long[] indices, int[] nonces, long timestamp,
                           String validator, String signer, String signature) {
    }

    public Answer proofs(byte[] body) {
        return handle(body, false);
    }

    public Answer proofsByNonce(byte[] body) {
        return handle(body, true);
    }

    private Answer handle(byte[] body, boolean byNonce) {
        if (store == null) {
            return Answer.error(503, "artifact store not configured");
        }
        Request r;
        try {
            r = parse(body, byNonce);
        } catch (Refused e) {
            return e.answer;
        } catch (Exception e) {
            return Answer.error(400, "invalid request body");
        }
        Optional<Map<String, byte[]>> allowed;
        try {
            allowed = signers.of(r.validator());
        } catch (RuntimeException e) {
            allowed = Optional.empty();
        }
        if (allowed.isEmpty()) {
            return Answer.error(401, "validator not found");
        }
        byte[] signerKey = allowed.get().get(r.signer());
        if (signerKey == null) {
            return Answer.error(401, "signer not authorized for validator");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(r.signature());
        } catch (IllegalArgumentException e) {
            return Answer.error(400, "invalid signature encoding");
        }
        byte[] payload = byNonce
                ? ProofPayloads.byNonceRequest(r.stage(), r.model(), r.root(), r.count(), r.nonces(), r.timestamp(), r.validator(), r.signer())
                : ProofPayloads.leafIndexRequest(r.stage(), r.model(), r.root(), r.count(), r.indices(), r.timestamp(), r.validator(),
                r.signer());
        if (!Secp256k1.verify(signerKey, payload, signature)) {
            return Answer.error(401, "invalid signature");
        }
        if (store.activeStage() != r.stage()) {
            return Answer.error(404, "not found for height (may be pruned or not yet created)");
        }
        Optional<ProofStore.Snapshot> found = store.at(r.stage(), r.model(), r.count());
        if (found.isEmpty()) {
            return Answer.error(400, "count exceeds stored artifacts");
        }
        ProofStore.Snapshot snapshot = found.get();
        if (!java.util.Arrays.equals(snapshot.root(), r.root())) {
            return Answer.error(400, "root_hash does not match store state at count");
        }
        ProofAnswer out;
        if (byNonce) {
            out = new ProofAnswer(r.nonces().length);
            for (int nonce : r.nonces()) {
                long index = snapshot.indexOf(nonce);
                if (index >= 0) {
                    out.add(snapshot.proof(index)); // nonces absent from the snapshot are left out, as upstream does
                }
            }
        } else {
            for (long index : r.indices()) {
                if (index >= r.count()) {
                    return Answer.error(400, "leaf_index out of snapshot range");
                }
            }
            out = new ProofAnswer(r.indices().length);
            for (long index : r.indices()) {
                out.add(snapshot.proof(index));
            }
        }
        return new Answer(200, signed(r, out), out.proofs());
    }

    /** The answer's bytes, signed by the host's warm key when it has one. */
    private byte[] signed(Request r, ProofAnswer out) {
        if (key == null) {
            return out.finish(null, 0, null);
        }
        long timestamp = clockNanos.getAsLong();
        byte[] payload = ProofPayloads.response(r.stage(), r.model(), r.root(), r.count(), out.proofsHash(), timestamp, key.address());
        return out.finish(key.address(), timestamp, Base64.getEncoder().encodeToString(key.sign(payload)));
    }

    /** {@code GET /v1/poc/artifacts/state?height=&model_id=}. */
    public Answer state(String height, String modelId) {
        if (store == null) {
            return Answer.error(503, "artifact store not configured");
        }
        long stage;
        try {
            stage = Long.parseLong(height == null ? "" : height.trim());
        } catch (NumberFormatException e) {
            return Answer.error(400, "height query parameter required");
        }
        if (modelId == null || modelId.isEmpty()) {
            return Answer.error(400, "model_id query parameter required");
        }
        if (store.activeStage() != stage) {
            return Answer.error(404, "not found for height (may be pruned or not yet created)");
        }
        Optional<ProofStore.State> s = store.latest(stage, modelId);
        return Answer.of(200, F.objectNode().put("poc_stage_start_block_height", stage).put("model_id", modelId)
                .put("count", s.map(ProofStore.State::count).orElse(0L))
                .put("root_hash", s.map(x -> Base64.getEncoder().encodeToString(x.root())).orElse("")));
    }

    private Request parse(byte[] body, boolean byNonce) throws Exception {
        JsonNode n = JSON.readTree(body);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        long stage = int64(n.get("poc_stage_start_block_height"));
        long count = uint32(n.get("count"));
        long timestamp = int64(n.get("timestamp"));
        long[] indices = null;
        int[] nonces = null;
        JsonNode list = n.get(byNonce ? "nonces" : "leaf_indices");
        if (list != null && !list.isNull() && !list.isArray()) {
            throw new IllegalArgumentException("not a list");
        }
        int size = list == null || list.isNull() ? 0 : list.size();
        if (byNonce) {
            nonces = new int[size];
            for (int i = 0; i < size; i++) {
                long v = integer(list.get(i));
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("nonce out of int32");
                }
                nonces[i] = (int) v;
            }
        } else {
            indices = new long[size];
            for (int i = 0; i < size; i++) {
                indices[i] = uint32(list.get(i));
            }
        }
        String what = byNonce ? "nonces" : "leaf_indices";
        if (size == 0) {
            throw new Refused(Answer.error(400, what + " required"));
        }
        if (size > MAX_ITEMS) {
            throw new Refused(Answer.error(400, "too many " + what + " (max " + MAX_ITEMS + ")"));
        }
        String model = text(n, "model_id");
        String rootText = text(n, "root_hash");
        String validator = text(n, "validator_address");
        String signer = text(n, "validator_signer_address");
        String signature = text(n, "signature");
        byte[] root;
        try {
            root = Base64.getDecoder().decode(rootText);
        } catch (IllegalArgumentException e) {
            root = null;
        }
        if (root == null || root.length != 32) {
            throw new Refused(Answer.error(400, "invalid root_hash (must be 32 bytes base64)"));
        }
        if (Math.abs(timestamp - clockNanos.getAsLong()) > TIMESTAMP_WINDOW_NANOS) {
            throw new Refused(Answer.error(400, "timestamp out of acceptable window"));
        }
        return new Request(stage, model, root, count, indices, nonces, timestamp, validator, signer, signature);
    }

    private static String text(JsonNode n, String field) throws Refused {
        JsonNode v = n.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw new IllegalArgumentException(field + " is not a string");
        }
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            throw new Refused(Answer.error(400, field + " required"));
        }
        return v.asText();
    }

    /** int64 as a JSON number or a decimal string (Go's {@code json:",string"}-tolerant binding); absent is 0. */
    private static long int64(JsonNode v) {
        return v == null || v.isNull() ? 0 : integer(v);
    }

    private static long uint32(JsonNode v) {
        long x = v == null || v.isNull() ? 0 : integer(v);
        if (x < 0 || x > 0xffffffffL) {
            throw new IllegalArgumentException("out of uint32");
        }
        return x;
    }

    private static long integer(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isTextual()) {
            return new BigInteger(v.asText().trim()).longValueExact();
        }
        throw new IllegalArgumentException("not an integer");
    }

    /** A request refused with a specific answer while it was read. */
    private static final class Refused extends Exception {
        final Answer answer;

        Refused(Answer answer) {
            super(new String(answer.json(), StandardCharsets.UTF_8), null, false, false);
            this.answer = answer;
        }
    }
}
