package io.gonkanode.protocol.smst;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The SMST of a store that only grows (writes spec §4): artifacts are added in their order of arrival, batch by
 * batch, and the root is kept current at the cost of the paths the batch touched, not of the whole tree — what a
 * host needs to commit every few seconds while its ML nodes post hundreds of thousands of artifacts.
 *
 * <p>Leaves are kept as their path and leaf hash, sorted by path; nodes at height {@value #KEPT_HEIGHT} and above are
 * kept, lower ones are hashed again from the leaves when a batch touches them (at most 2^{@value #KEPT_HEIGHT} leaves
 * each). A nonce seen before is ignored (the first one counts), as upstream's store does. The result equals
 * {@link Smst#of} over the same artifacts.
 */
public final class GrowingSmst {

    static final int KEPT_HEIGHT = 6;

    private record Node(byte[] hash, long count) {
    }

    private long[] paths = new long[0];
    private byte[] leafHashes = new byte[0];
    private int size;
    private int depth = Smst.DEFAULT_DEPTH;
    private final Map<Long, Node> kept = new HashMap<>();

    /** Adds artifacts in arrival order; returns how many were new. */
    public synchronized int addAll(int[] nonces, byte[][] vectors) {
        // arrival order within a path decides which of two equal nonces counts: sort by (path, arrival)
        Integer[] order = new Integer[nonces.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(Smst.path(nonces[a]), Smst.path(nonces[b]));
            return c != 0 ? c : Integer.compare(a, b);
        });
        long[] newPaths = new long[nonces.length];
        byte[][] newHashes = new byte[nonces.length][];
        int k = 0;
        for (int i : order) {
            long p = Smst.path(nonces[i]);
            if ((k > 0 && newPaths[k - 1] == p) || indexOf(p) >= 0) {
                continue;
            }
            newPaths[k] = p;
            newHashes[k] = Smst.leafHash(Smst.leafData(nonces[i], vectors[i]));
            k++;
        }
        if (k == 0) {
            return 0;
        }
        merge(newPaths, newHashes, k);
        int oldDepth = depth;
        for (int i = 0; i < k; i++) {
            depth = Math.max(depth, Smst.bitLength(newPaths[i]));
        }
        rehash(newPaths, k, oldDepth);
        return k;
    }

    public synchronized long count() {
        return size;
    }

    public synchronized int depth() {
        return depth;
    }

    /** The root over everything added; the empty tree's root ({@code EMPTY[24]}) before the first artifact. */
    public synchronized byte[] root() {
        return node(depth, 0).hash().clone();
    }

    /** Merges the new leaves (in path order) into the sorted arrays, from the back. */
    private void merge(long[] np, byte[][] nh, int k) {
        int total = size + k;
        if (total > paths.length) {
            int capacity = Math.max(total, paths.length + paths.length / 2 + 16);
            paths = Arrays.copyOf(paths, capacity);
            leafHashes = Arrays.copyOf(leafHashes, capacity * 32);
        }
        int i = size - 1;
        int j = k - 1;
        for (int w = total - 1; w >= 0; w--) {
            if (j < 0 || (i >= 0 && paths[i] > np[j])) {
                paths[w] = paths[i];
                System.arraycopy(leafHashes, i * 32, leafHashes, w * 32, 32);
                i--;
            } else {
                paths[w] = np[j];
                System.arraycopy(nh[j], 0, leafHashes, w * 32, 32);
                j--;
            }
        }
        size = total;
    }

    /** Hashes again the kept nodes above the new leaves, height by height, each once. */
    private void rehash(long[] newPaths, int k, int oldDepth) {
        long[] dirty = new long[k];
        for (int i = 0; i < k; i++) {
            dirty[i] = newPaths[i] >>> KEPT_HEIGHT;
        }
        int n = distinct(dirty, k);
        for (int h = KEPT_HEIGHT; h <= depth; h++) {
            for (int i = 0; i < n; i++) {
                long prefix = dirty[i];
                Node fresh = h == KEPT_HEIGHT ? build(prefix) : combine(h, prefix);
                kept.put(key(h, prefix), fresh);
            }
            for (int i = 0; i < n; i++) {
                dirty[i] >>>= 1;
            }
            n = distinct(dirty, n);
        }
        if (depth > oldDepth) {
            // the old root now sits as the left child of the new levels, whose right sides are the empty subtrees
            for (int h = oldDepth + 1; h <= depth; h++) {
                kept.put(key(h, 0), combine(h, 0));
            }
        }
    }

    /** Sorts the first n values and removes repeats; returns how many are left. */
    private static int distinct(long[] values, int n) {
        Arrays.sort(values, 0, n);
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (w == 0 || values[w - 1] != values[i]) {
                values[w++] = values[i];
            }
        }
        return w;
    }

    private Node combine(int h, long prefix) {
        Node left = node(h - 1, prefix << 1);
        Node right = node(h - 1, (prefix << 1) | 1);
        long count = left.count() + right.count();
        return new Node(Smst.nodeHash(left.hash(), right.hash(), count), count);
    }

    private Node node(int h, long prefix) {
        if (h >= KEPT_HEIGHT) {
            Node n = kept.get(key(h, prefix));
            return n != null ? n : new Node(Smst.empty(h), 0);
        }
        return subtree(h, prefix, lowerBound(prefix << h), lowerBound((prefix + 1) << h));
    }

    /** The kept node at {@link #KEPT_HEIGHT} over its leaves. */
    private Node build(long prefix) {
        return subtree(KEPT_HEIGHT, prefix, lowerBound(prefix << KEPT_HEIGHT), lowerBound((prefix + 1) << KEPT_HEIGHT));
    }

    private Node subtree(int h, long prefix, int from, int to) {
        if (from == to) {
            return new Node(Smst.empty(h), 0);
        }
        if (h == 0) {
            return new Node(Arrays.copyOfRange(leafHashes, from * 32, from * 32 + 32), 1);
        }
        long mid = ((prefix << 1) | 1) << (h - 1);
        int split = lowerBound(mid, from, to);
        Node left = subtree(h - 1, prefix << 1, from, split);
        Node right = subtree(h - 1, (prefix << 1) | 1, split, to);
        long count = left.count() + right.count();
        return new Node(Smst.nodeHash(left.hash(), right.hash(), count), count);
    }

    private int indexOf(long path) {
        int i = lowerBound(path);
        return i < size && paths[i] == path ? i : -1;
    }

    private int lowerBound(long path) {
        return lowerBound(path, 0, size);
    }

    private int lowerBound(long path, int from, int to) {
        return Smst.lowerBound(paths, path, from, to);
    }

    private static long key(int height, long prefix) {
        return ((long) height << 33) | prefix;
    }
}
