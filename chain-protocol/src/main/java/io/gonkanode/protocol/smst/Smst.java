package io.gonkanode.protocol.smst;

import io.gonkanode.protocol.crypto.Hashes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PoC v2 Sparse Merkle Sum Tree over a set of artifacts (writes spec §4): leaves at depth
 * {@code D = max(24, bit length of every uint32(nonce))}, a leaf's path the low D bits of its nonce, most
 * significant first; every node hashes its children and the number of leaves below it.
 *
 * <p>Immutable, built once from the artifacts in their order of arrival (the first occurrence of a nonce wins).
 * The leaves' hashes and the nodes at height {@value #KEPT_HEIGHT} and above are kept; lower ones are recomputed
 * from the leaf hashes when a proof needs them (at most 2^{@value #KEPT_HEIGHT} leaves each), so a tree of n leaves
 * keeps n leaf hashes and at most about n / 8 nodes (n / 2^(KEPT_HEIGHT - 1)).
 */
public final class Smst {

    public static final int DEFAULT_DEPTH = 24;
    public static final int MAX_DEPTH = 32;
    /**
     * Nodes at this height and above are kept once built; a proof recomputes only the siblings below it, from the kept
     * leaf hashes: at most 2^{@value} − 1 node hashes per proof (bench/ ProofsBench: proofs API CPU per proof).
     */
    static final int KEPT_HEIGHT = 4;
    private static final byte[][] EMPTY = new byte[MAX_DEPTH + 1][];

    static {
        EMPTY[0] = Hashes.sha256(new byte[] {0});
        for (int h = 1; h <= MAX_DEPTH; h++) {
            EMPTY[h] = nodeHash(EMPTY[h - 1], EMPTY[h - 1], 0);
        }
    }

    /** One artifact: its nonce and its vector bytes. */
    public record Leaf(int nonce, byte[] vector) {
    }

    /** A node's hash and the number of leaves below it. */
    record Node(byte[] hash, long count) {
    }

    private final int depth;
    private final long[] paths;
    private final Leaf[] leaves;
    /** The leaves' hashes, 32 bytes each, in path order. */
    private final byte[] leafHashes;
    /**
     * The non-empty nodes at each height from {@link #KEPT_HEIGHT} up, in prefix order (the build visits them so):
     * their prefixes, hashes (32 bytes each) and counts. Found by binary search: no boxing, no hash collisions.
     */
    private final long[][] keptPrefixes;
    private final byte[][] keptHashes;
    private final long[][] keptCounts;
    private final int[] keptSize;
    private final Node root;

    private Smst(List<Leaf> distinct) {
        this.leaves = distinct.toArray(new Leaf[0]);
        Arrays.sort(leaves, (a, b) -> Long.compare(path(a.nonce()), path(b.nonce())));
        this.paths = new long[leaves.length];
        int d = DEFAULT_DEPTH;
        for (int i = 0; i < leaves.length; i++) {
            paths[i] = path(leaves[i].nonce());
            d = Math.max(d, bitLength(paths[i]));
        }
        this.depth = d;
        this.leafHashes = new byte[leaves.length * 32];
        for (int i = 0; i < leaves.length; i++) {
            System.arraycopy(leafHash(leafData(leaves[i].nonce(), leaves[i].vector())), 0, leafHashes, i * 32, 32);
        }
        this.keptPrefixes = new long[depth + 1][];
        this.keptHashes = new byte[depth + 1][];
        this.keptCounts = new long[depth + 1][];
        this.keptSize = new int[depth + 1];
        for (int h = KEPT_HEIGHT; h <= depth; h++) {
            int nodes = 0; // the distinct prefixes at this height
            for (int i = 0; i < paths.length; i++) {
                if (i == 0 || paths[i] >>> h != paths[i - 1] >>> h) {
                    nodes++;
                }
            }
            keptPrefixes[h] = new long[nodes];
            keptHashes[h] = new byte[nodes * 32];
            keptCounts[h] = new long[nodes];
        }
        this.root = build(0, leaves.length, depth, 0);
    }

    /** The tree of the first {@code count} distinct artifacts of {@code arrivals} (all of them for count < 0). */
    public static Smst of(List<Leaf> arrivals, int count) {
        Map<Integer, Boolean> seen = new HashMap<>();
        List<Leaf> distinct = new ArrayList<>();
        for (Leaf leaf : arrivals) {
            if (count >= 0 && distinct.size() == count) {
                break;
            }
            if (seen.putIfAbsent(leaf.nonce(), Boolean.TRUE) == null) {
                distinct.add(leaf);
            }
        }
        return new Smst(distinct);
    }

    public static Smst of(List<Leaf> arrivals) {
        return of(arrivals, -1);
    }

    /** The root of the empty tree of height {@code h} ({@code EMPTY[h]}). */
    public static byte[] empty(int h) {
        return EMPTY[h].clone();
    }

    public byte[] root() {
        return root.hash().clone();
    }

    public int count() {
        return leaves.length;
    }

    public int depth() {
        return depth;
    }

    /** The leaf at a dense index (its rank in path order: uint32(nonce) ascending). */
    public Leaf leaf(int denseIndex) {
        return leaves[denseIndex];
    }

    /** The dense index of a nonce, or -1. */
    public int indexOf(int nonce) {
        int i = Arrays.binarySearch(paths, path(nonce));
        return i < 0 ? -1 : i;
    }

    /** The proof of the leaf at {@code denseIndex}: D elements, root to leaf, each sibling hash ‖ LE32(sibling count). */
    public List<byte[]> proof(int denseIndex) {
        if (denseIndex < 0 || denseIndex >= leaves.length) {
            throw new IndexOutOfBoundsException("dense index " + denseIndex + " of " + leaves.length);
        }
        long p = paths[denseIndex];
        // the leaves below the leaf's ancestor at KEPT_HEIGHT: every sibling under it is hashed again from these
        long ancestor = p >>> KEPT_HEIGHT;
        int from = lowerBound(ancestor << KEPT_HEIGHT, Math.max(0, denseIndex - (1 << KEPT_HEIGHT)), denseIndex + 1);
        int to = lowerBound((ancestor + 1) << KEPT_HEIGHT, denseIndex, Math.min(leaves.length, denseIndex + (1 << KEPT_HEIGHT) + 1));
        List<byte[]> proof = new ArrayList<>(depth);
        for (int level = 1; level <= depth; level++) {
            int height = depth - level;
            long sibling = (p >>> height) ^ 1;
            byte[] element = new byte[36];
            if (height >= KEPT_HEIGHT) {
                keptElement(height, sibling, element);
            } else {
                Node node = build(lowerBound(sibling << height, from, to), lowerBound((sibling + 1) << height, from, to), height, sibling);
                System.arraycopy(node.hash(), 0, element, 0, 32);
                putCount(element, node.count());
            }
            proof.add(element);
        }
        return proof;
    }

    public static byte[] leafData(int nonce, byte[] vector) {
        return ByteBuffer.allocate(4 + vector.length).order(ByteOrder.LITTLE_ENDIAN).putInt(nonce).put(vector).array();
    }

    public static byte[] leafHash(byte[] leafData) {
        return Hashes.sha256(new byte[] {0}, leafData);
    }

    static byte[] nodeHash(byte[] left, byte[] right, long count) {
        byte[] c = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) count).array();
        return Hashes.sha256(new byte[] {1}, left, right, c);
    }

    static long path(int nonce) {
        return nonce & 0xffffffffL;
    }

    static int bitLength(long path) {
        return path == 0 ? 1 : 64 - Long.numberOfLeadingZeros(path);
    }

    /**
     * Writes the proof element of the kept node (height ≥ KEPT_HEIGHT) with this prefix: its hash ‖ LE32(count); the
     * empty subtree's when the prefix has no leaf.
     */
    private void keptElement(int height, long prefix, byte[] element) {
        long[] prefixes = keptPrefixes[height];
        int n = keptSize[height];
        // a dense run of nodes (ML nodes' nonces mostly are) finds its own at its offset from the first; else search
        long offset = n == 0 ? -1 : prefix - prefixes[0];
        int i = offset >= 0 && offset < n && prefixes[(int) offset] == prefix ? (int) offset : Arrays.binarySearch(prefixes, 0, n, prefix);
        if (i < 0) {
            System.arraycopy(EMPTY[height], 0, element, 0, 32); // count 0: the last four bytes stay zero
            return;
        }
        System.arraycopy(keptHashes[height], i * 32, element, 0, 32);
        putCount(element, keptCounts[height][i]);
    }

    private static void putCount(byte[] element, long count) {
        for (int b = 0; b < 4; b++) {
            element[32 + b] = (byte) (count >>> (8 * b));
        }
    }

    /** Hashes the leaves [from, to) below the node (height, prefix); keeps the nodes at KEPT_HEIGHT and above. */
    private Node build(int from, int to, int height, long prefix) {
        if (from == to) {
            return new Node(EMPTY[height], 0);
        }
        Node n;
        if (height == 0) {
            n = new Node(Arrays.copyOfRange(leafHashes, from * 32, from * 32 + 32), 1);
        } else {
            long mid = ((prefix << 1) | 1) << (height - 1);
            int split = lowerBound(mid, from, to);
            Node left = build(from, split, height - 1, prefix << 1);
            Node right = build(split, to, height - 1, (prefix << 1) | 1);
            long count = left.count() + right.count();
            n = new Node(nodeHash(left.hash(), right.hash(), count), count);
        }
        if (height >= KEPT_HEIGHT) {
            int i = keptSize[height]++;
            keptPrefixes[height][i] = prefix;
            System.arraycopy(n.hash(), 0, keptHashes[height], i * 32, 32);
            keptCounts[height][i] = n.count();
        }
        return n;
    }

    private int lowerBound(long path, int from, int to) {
        return lowerBound(paths, path, from, to);
    }

    /** The first index in {@code [from, to)} of the sorted {@code paths} whose path is not below {@code path}. */
    static int lowerBound(long[] paths, long path, int from, int to) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (paths[m] < path) {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        return lo;
    }
}
