package io.gonkanode.protocol.proofs;

import io.gonkanode.protocol.crypto.Hashes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
        return response(stage, modelId, root, count, Hashes.sha256(proofs.bytes()), timestamp, signer);
    }

    /**
     * A proof response's signed payload from the SHA-256 of its proofs part: per item the little-endian u32 leaf
     * index and u32 nonce, then the base64 text of the vector and of each proof element, without lengths.
     */
    public static byte[] response(long stage, String modelId, byte[] root, long count, byte[] proofsHash, long timestamp,
                                  String signer) {
        return new Out().i64(stage).lp(modelId).raw(root).u32(count).raw(proofsHash).i64(timestamp).lp(signer).payload();
    }

    /** Little-endian writer of the payload layouts (a 500-proof answer writes about 13,000 fields: no per-field objects). */
    private static final class Out {
        private byte[] buf = new byte[256];
        private int size;

        Out i64(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[size++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        Out u32(long v) {
            ensure(4);
            for (int i = 0; i < 4; i++) {
                buf[size++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        Out lp(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u32(b.length).raw(b);
        }

        /** A string's UTF-8 bytes; base64 and addresses are ASCII, written as they are. */
        Out text(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) { // what was copied so far lies past size and is written over
                    return raw(s.getBytes(StandardCharsets.UTF_8));
                }
                buf[size + i] = (byte) c;
            }
            size += n;
            return this;
        }

        Out raw(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
            return this;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(size + more, buf.length * 2));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, size);
        }

        /** ASCII of the lower-hex SHA-256 of what was written. */
        byte[] payload() {
            return HexFormat.of().formatHex(Hashes.sha256(bytes())).getBytes(StandardCharsets.US_ASCII);
        }
    }
}
