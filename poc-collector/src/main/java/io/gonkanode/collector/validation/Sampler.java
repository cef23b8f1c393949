package io.gonkanode.collector.validation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which artifacts a validator recomputes: up to {@code n} nonces drawn by a partial Fisher-Yates shuffle
 * seeded with SHA-256 of {@code "<host key>:<block hash>:<height>:<model>:<node_num>"} — the same sample on
 * every run and after a restart, unknowable to the node before the stage's block hash exists.
 */
public final class Sampler {

    private Sampler() {
    }

    public static long seed(String hostKeyHex, String blockHash, long height, String model, int nodeNum) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(
                    (hostKeyHex + ":" + blockHash + ":" + height + ":" + model + ":" + nodeNum).getBytes(StandardCharsets.UTF_8));
            long seed = 0;
            for (int i = 0; i < 8; i++) {
                seed = seed << 8 | (d[i] & 0xff);
            }
            return seed;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sample, sorted; {@code sortedNonces} must be ascending (it is not modified). */
    public static long[] sample(long[] sortedNonces, int n, long seed) {
        long[] pool = sortedNonces.clone();
        int size = Math.min(n, pool.length);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(pool.length - i);
            long t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        long[] out = Arrays.copyOf(pool, size);
        Arrays.sort(out);
        return out;
    }
}
