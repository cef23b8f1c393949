package io.gonkanode.protocol.proofs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.smst.Smst;
import io.gonkanode.protocol.smst.SmstVerifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A validator's side of the proofs API (writes spec §6.3 steps 3-7): a signed request for sampled leaves of a
 * host's on-chain commitment, then the checks that make a validator vote against the host: exactly the requested
 * indices, 24-byte vectors without NaN or infinities, SMST proofs that verify against the committed root and count,
 * no repeated nonce, and nonces dense enough (porosity below 100). A transport failure or a non-200 answer is
 * transient: the caller retries.
 */
public final class ProofClient {

    static final int VECTOR_BYTES = 24;
    static final long MAX_POROSITY = 100;
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A host's commitment to check: where its proofs API is, and the on-chain (stage, model, root, count). */
    public record Target(String inferenceUrl, long stage, String modelId, byte[] root, long count) {
    }

    /** What the check found. */
    public sealed interface Verdict {
    }

    /** Every check passed; {@code nTotal} is the number of leaves checked, {@code artifacts} what they hold (for an ML node to recompute). */
    public record Passed(long nTotal, List<Artifact> artifacts) implements Verdict {
    }

    /** A proven artifact: its nonce and vector. */
    public record Artifact(int nonce, byte[] vector) {
    }

    /** The host served something wrong: vote against it now. */
    public record Failed(String reason) implements Verdict {
    }

    /** No usable answer (transport error, non-200): try again later. */
    public record Unreachable(String reason) implements Verdict {
    }

    private final HttpClient http;
    private final String validatorAddress;
    private final SigningKey signer;
    private final LongSupplier clockNanos;
    private final ObjectMapper json = new ObjectMapper();

    /** {@code validatorAddress}: the validator's account (cold) address; {@code signer}: the key that signs for it (warm). */
    public ProofClient(HttpClient http, String validatorAddress, SigningKey signer, LongSupplier clockNanos) {
        this.http = http;
        this.validatorAddress = validatorAddress;
        this.signer = signer;
        this.clockNanos = clockNanos;
    }

    public Verdict validate(Target t, long[] indices) {
        JsonNode answer;
        try {
            answer = post(t, indices);
        } catch (IOException e) {
            return new Unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unreachable("interrupted");
        }
        if (answer == null) {
            return new Unreachable("no JSON answer");
        }
        return check(t, indices, answer.get("proofs"));
    }

    /** The body of a signed {@code POST /v1/poc/proofs} request. */
    public ObjectNode request(Target t, long[] indices) {
        long timestamp = clockNanos.getAsLong();
        byte[] payload = ProofPayloads.leafIndexRequest(t.stage(), t.modelId(), t.root(), t.count(), indices, timestamp, validatorAddress,
                signer.address());
        ObjectNode body = json.createObjectNode().put("poc_stage_start_block_height", t.stage()).put("model_id", t.modelId())
                .put("root_hash", Base64.getEncoder().encodeToString(t.root())).put("count", t.count())
                .put("validator_address", validatorAddress).put("validator_signer_address", signer.address()).put("timestamp", timestamp)
                .put("signature", Base64.getEncoder().encodeToString(signer.sign(payload)));
        var list = body.putArray("leaf_indices");
        for (long i : indices) {
            list.add(i);
        }
        return body;
    }

    private JsonNode post(Target t, long[] indices) throws IOException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(joinPath(t.inferenceUrl(), "v1/poc/proofs"));
        } catch (IllegalArgumentException e) {
            throw new IOException("bad inference_url " + t.inferenceUrl());
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(request(t, indices)))).build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            return null;
        }
    }

    /** Go's {@code url.JoinPath}: one slash between the base URL's path and the element. */
    static String joinPath(String base, String element) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return b + "/" + element;
    }

    /** The checks of a proofs answer against what was asked. */
    public static Verdict check(Target t, long[] indices, JsonNode proofs) {
        if (proofs == null || !proofs.isArray()) {
            return new Failed("no proofs in the answer");
        }
        if (proofs.size() != indices.length) {
            return new Failed("asked for " + indices.length + " proofs, got " + proofs.size());
        }
        Set<Long> asked = new HashSet<>();
        for (long i : indices) {
            asked.add(i);
        }
        Set<Long> answered = new HashSet<>();
        Set<Integer> nonces = new HashSet<>();
        List<Artifact> artifacts = new ArrayList<>();
        long maxAbsNonce = 0;
        for (JsonNode p : proofs) {
            long index = p.path("leaf_index").asLong(-1);
            if (!asked.contains(index) || !answered.add(index)) {
                return new Failed("leaf_index " + index + " was not asked for or came twice");
            }
            if (!p.path("nonce_value").canConvertToInt()) {
                return new Failed("nonce_value of leaf " + index + " is not an int32");
            }
            int nonce = p.path("nonce_value").intValue();
            byte[] vector;
            List<byte[]> elements = new ArrayList<>();
            try {
                vector = Base64.getDecoder().decode(p.path("vector_bytes").asText());
                for (JsonNode e : p.path("proof")) {
                    elements.add(Base64.getDecoder().decode(e.asText()));
                }
            } catch (IllegalArgumentException e) {
                return new Failed("leaf " + index + ": not base64");
            }
            if (vector.length != VECTOR_BYTES) {
                return new Failed("leaf " + index + ": vector of " + vector.length + " bytes, not " + VECTOR_BYTES);
            }
            if (hasNonFinite(vector)) {
                return new Failed("leaf " + index + ": vector holds NaN or infinity");
            }
            if (!SmstVerifier.verify(t.root(), t.count(), index, nonce, Smst.leafData(nonce, vector), elements)) {
                return new Failed("leaf " + index + ": proof does not verify against the committed root");
            }
            if (!nonces.add(nonce)) {
                return new Failed("nonce " + nonce + " served twice");
            }
            artifacts.add(new Artifact(nonce, vector));
            maxAbsNonce = Math.max(maxAbsNonce, Math.abs((long) nonce));
        }
        if (t.count() > 0 && maxAbsNonce / t.count() >= MAX_POROSITY) {
            return new Failed("porous nonces: max |nonce| " + maxAbsNonce + " for " + t.count() + " artifacts");
        }
        return new Passed(indices.length, artifacts);
    }

    /** Whether any little-endian fp16 of the vector has exponent 31 (NaN or ±infinity). */
    public static boolean hasNonFinite(byte[] vector) {
        for (int i = 0; i + 1 < vector.length; i += 2) {
            int half = (vector[i] & 0xff) | (vector[i + 1] & 0xff) << 8;
            if (((half >>> 10) & 0x1f) == 0x1f) {
                return true;
            }
        }
        return false;
    }
}
