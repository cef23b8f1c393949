package io.gonkanode.chainsim.conformance;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The test's own SMST, proof verifier and proof-request payload, written from writes spec §4 and §5.4 (not from
 * chain-sim): a recursive tree over the leaves by path, empty subtrees from the EMPTY table, depth 24 (the tests use
 * small non-negative nonces only).
 */
final class TestSmst {

    static final int DEPTH = 24;
    static final byte[][] EMPTY = new byte[DEPTH + 1][];

    static {
        EMPTY[0] = sha(new byte[] {0});
        for (int h = 1; h <= DEPTH; h++) {
            EMPTY[h] = node(EMPTY[h - 1], EMPTY[h - 1], 0);
        }
    }

    /** Path (uint32 nonce) → leaf data (LE32 nonce ‖ vector). */
    private final TreeMap<Long, byte[]> leaves = new TreeMap<>();

    record Node(byte[] hash, long count) {
    }

    /** The tree of the given (nonce, vector) pairs; nonces must be in [0, 2^24). */
    TestSmst(Map<Integer, byte[]> artifacts) {
        artifacts.forEach((nonce, vector) -> {
            if (nonce < 0 || nonce >= 1 << DEPTH) {
                throw new IllegalArgumentException("the test tree keeps to depth 24");
            }
            leaves.put((long) nonce, leafData(nonce, vector));
        });
    }

    /** Function A of writes spec §10.1: twelve LE16 values 0x3C00 + ((12·i + k) & 0x3FF). */
    static byte[] tv(int i) {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 12; k++) {
            b.putShort((short) (0x3C00 + ((12 * i + k) & 0x3FF)));
        }
        return b.array();
    }

    static byte[] leafData(int nonce, byte[] vector) {
        return ByteBuffer.allocate(4 + vector.length).order(ByteOrder.LITTLE_ENDIAN).putInt(nonce).put(vector).array();
    }

    long count() {
        return leaves.size();
    }

    byte[] root() {
        return node(DEPTH, 0).hash();
    }

    /** The nonce at a dense index (rank by path). */
    int nonceAt(long denseIndex) {
        return (int) (long) new ArrayList<>(leaves.keySet()).get((int) denseIndex);
    }

    byte[] vectorAt(long denseIndex) {
        byte[] data = leaves.get(new ArrayList<>(leaves.keySet()).get((int) denseIndex));
        return Arrays.copyOfRange(data, 4, data.length);
    }

    /** D elements root → leaf: sibling hash ‖ LE32(sibling count). */
    List<byte[]> proof(long denseIndex) {
        long path = new ArrayList<>(leaves.keySet()).get((int) denseIndex);
        List<byte[]> out = new ArrayList<>();
        for (int level = 1; level <= DEPTH; level++) {
            int height = DEPTH - level;
            Node sibling = node(height, (path >>> height) ^ 1);
            out.add(ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN).put(sibling.hash()).putInt((int) sibling.count()).array());
        }
        return out;
    }

    private Node node(int height, long prefix) {
        long lo = prefix << height;
        long hi = (prefix + 1) << height;
        var below = leaves.subMap(lo, true, hi, false);
        if (below.isEmpty()) {
            return new Node(EMPTY[height], 0);
        }
        if (height == 0) {
            return new Node(leafHash(below.firstEntry().getValue()), 1);
        }
        Node l = node(height - 1, prefix << 1);
        Node r = node(height - 1, (prefix << 1) | 1);
        return new Node(node(l.hash(), r.hash(), l.count() + r.count()), l.count() + r.count());
    }

    static byte[] leafHash(byte[] leafData) {
        byte[] b = new byte[1 + leafData.length];
        System.arraycopy(leafData, 0, b, 1, leafData.length);
        return sha(b);
    }

    static byte[] node(byte[] left, byte[] right, long count) {
        return sha(ByteBuffer.allocate(69).order(ByteOrder.LITTLE_ENDIAN).put((byte) 1).put(left).put(right).putInt((int) count).array());
    }

    /** Writes spec §4.5, step by step. */
    static boolean verify(byte[] root, long count, long denseIndex, int nonce, byte[] leafData, List<byte[]> proof) {
        if (proof.isEmpty() || count == 0 || denseIndex >= count) {
            return false;
        }
        int d = proof.size();
        long path = nonce & 0xffffffffL;
        byte[] h = leafHash(leafData);
        long c = 1;
        long idx = 0;
        for (int i = d - 1; i >= 0; i--) {
            byte[] e = proof.get(i);
            if (e.length != 36) {
                return false;
            }
            byte[] sib = Arrays.copyOf(e, 32);
            long sibCount = ByteBuffer.wrap(e, 32, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            boolean right = ((path >>> (d - 1 - i)) & 1) == 1;
            h = right ? node(sib, h, sibCount + c) : node(h, sib, c + sibCount);
            c = c + sibCount;
            if (right) {
                idx += sibCount;
            }
        }
        return c == count && Arrays.equals(h, root) && idx == denseIndex;
    }

    /** Writes spec §5.4: the leaf-index request's signed payload (ASCII lower-hex SHA-256 of the binary layout). */
    static byte[] requestPayload(long stage, String model, byte[] root, long count, long[] indices, long timestamp, String validator,
                                 String signer) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(le(8, stage));
        lp(o, model);
        o.writeBytes(root);
        o.writeBytes(le(4, count));
        o.writeBytes(le(4, indices.length));
        for (long i : indices) {
            o.writeBytes(le(4, i));
        }
        o.writeBytes(le(8, timestamp));
        lp(o, validator);
        lp(o, signer);
        return HexFormat.of().formatHex(sha(o.toByteArray())).getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes spec §5.4: the by-nonce request's signed payload (domain-separated, int32 nonces). */
    static byte[] byNonceRequestPayload(long stage, String model, byte[] root, long count, int[] nonces, long timestamp,
                                        String validator, String signer) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        lp(o, "poc-proofs-by-nonce-v1");
        o.writeBytes(le(8, stage));
        lp(o, model);
        o.writeBytes(root);
        o.writeBytes(le(4, count));
        o.writeBytes(le(4, nonces.length));
        for (int n : nonces) {
            o.writeBytes(le(4, n));
        }
        o.writeBytes(le(8, timestamp));
        lp(o, validator);
        lp(o, signer);
        return HexFormat.of().formatHex(sha(o.toByteArray())).getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes spec §5.4: a proof response's signed payload. */
    static byte[] responsePayload(long stage, String model, byte[] root, long count, JsonNode proofs, long timestamp, String signer) {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        for (JsonNode p : proofs) {
            items.writeBytes(le(4, p.path("leaf_index").asLong()));
            items.writeBytes(le(4, p.path("nonce_value").asLong()));
            items.writeBytes(p.path("vector_bytes").asText().getBytes(StandardCharsets.UTF_8));
            p.path("proof").forEach(e -> items.writeBytes(e.asText().getBytes(StandardCharsets.UTF_8)));
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(le(8, stage));
        lp(o, model);
        o.writeBytes(root);
        o.writeBytes(le(4, count));
        o.writeBytes(sha(items.toByteArray()));
        o.writeBytes(le(8, timestamp));
        lp(o, signer);
        return HexFormat.of().formatHex(sha(o.toByteArray())).getBytes(StandardCharsets.US_ASCII);
    }

    private static void lp(ByteArrayOutputStream o, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.writeBytes(le(4, b.length));
        o.writeBytes(b);
    }

    private static byte[] le(int size, long v) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    static byte[] sha(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
