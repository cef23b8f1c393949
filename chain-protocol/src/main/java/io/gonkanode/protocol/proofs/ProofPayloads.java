package io.gonkanode.protocol.proofs;

import io.gonkanode.protocol.crypto.Hashes;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * What a proof request and a proof response sign (writes spec §5.4): the lower-hex SHA-256 of a little-endian
 * binary layout, as ASCII; the signature is the usual secp256k1 one over those 64 bytes. {@code LP(s)} is a
 * 32-bit length followed by the UTF-8 bytes.
 */
public final class ProofPayloads {

    static final String BY_NONCE_DOMAIN = "poc-proofs-by-nonce-v1";

    /** One proof item as it goes over the wire: vector and proof elements as their base64 text. */
    public record Item(long leafIndex, int nonce, String vectorBase64, List<String> proofBase64) {
    }

    private ProofPayloads() {
    }

    /** {@code POST /v1/poc/proofs}: the request's signed payload. */
    public static byte[] leafIndexRequest(long stage, String modelId, byte[] root, long count, long[] leafIndices, long timestamp,
                                          String validator, String signer) {
        Out o = new Out().i64(stage).lp(modelId).raw(root).u32(count).u32(leafIndices.length);
        for (long i : leafIndices) {
            o.u32(i);
        }
        return o.i64(timestamp).lp(validator).lp(signer).payload();
    }

    /** {@code POST /v1/poc/proofs/by-nonce}: the request's signed payload. */
    public static byte[] byNonceRequest(long stage, String modelId, byte[] root, long count, int[] nonces, long timestamp,
                                        String validator, String signer) {
        Out o = new Out().lp(BY_NONCE_DOMAIN).i64(stage).lp(modelId).raw(root).u32(count).u32(nonces.length);
        for (int n : nonces) {
            o.u32(n & 0xffffffffL);
        }
        return o.i64(timestamp).lp(validator).lp(signer).payload();
    }

    /** A proof response's signed payload. */
    public static byte[] response(long stage, String modelId, byte[] root, long count, List<Item> items, long timestamp,
                                  String signer) {
        Out proofs = new Out();
        for (Item item : items) {
            proofs.u32(item.leafIndex()).u32(item.nonce() & 0xffffffffL).text(item.vectorBase64());
            item.proofBase64().forEach(proofs::text);
        }
        byte[] proofsHash = Hashes.sha256(proofs.bytes());
        return new Out().i64(stage).lp(modelId).raw(root).u32(count).raw(proofsHash).i64(timestamp).lp(signer).payload();
    }

    /** Little-endian writer of the payload layouts. */
    private static final class Out {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Out i64(long v) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        Out u32(long v) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        }

        Out lp(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u32(b.length).raw(b);
        }

        Out text(String s) {
            return raw(s.getBytes(StandardCharsets.UTF_8));
        }

        Out raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        /** ASCII of the lower-hex SHA-256 of what was written. */
        byte[] payload() {
            return HexFormat.of().formatHex(Hashes.sha256(bytes())).getBytes(StandardCharsets.US_ASCII);
        }
    }
}
