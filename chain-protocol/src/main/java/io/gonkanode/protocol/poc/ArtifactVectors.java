package io.gonkanode.protocol.poc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * PoC v2 artifacts without a GPU (spec gonka-mlnode.md §4.2, "CPU simulation recipe"): per nonce a
 * deterministic 12-dimensional unit vector derived from (block_hash, public_key, nonce, model, seq_len),
 * sent as 12 little-endian float16 values in base64. Provers and validators compute the same vector, so
 * honest artifacts validate and forged ones do not; the network node treats them as opaque bytes anyway.
 * The simulated ML nodes (mlnode-sim) and chain-sim's simulated peer hosts both produce them, so that a host's
 * ML nodes recompute what an honest peer committed.
 */
public final class ArtifactVectors {

    public static final int K_DIM = 12;

    private ArtifactVectors() {
    }

    /** The honest vector: 12 standard normals (Box-Muller over SplitMix64 seeded by SHA-256), L2-normalised. */
    public static float[] honest(String blockHash, String publicKey, long nonce, String model, int seqLen) {
        byte[] digest = sha256(blockHash + "_" + publicKey + "_nonce" + nonce + "_" + model + "_" + seqLen);
        long seed = ByteBuffer.wrap(digest).getLong();
        return normalised(gaussians(new SplittableRandom(seed)));
    }

    /** A forged vector, independent of the inputs: what a cheater that did not compute would send. */
    public static float[] forged(SplittableRandom random) {
        return normalised(gaussians(random));
    }

    private static double[] gaussians(SplittableRandom random) {
        double[] v = new double[K_DIM];
        for (int i = 0; i < K_DIM; i += 2) {
            double u1 = 1.0 - random.nextDouble(); // (0, 1]
            double u2 = random.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            v[i] = r * Math.cos(2 * Math.PI * u2);
            v[i + 1] = r * Math.sin(2 * Math.PI * u2);
        }
        return v;
    }

    private static float[] normalised(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    /** 12 float16 little-endian, 24 bytes. */
    public static byte[] encode(float[] vector) {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : vector) {
            buf.putShort(Fp16.fromFloat(x));
        }
        return buf.array();
    }

    /** The vector in a {@code vector_b64}, or null when it is not 12 float16 values. */
    public static float[] decode(byte[] bytes) {
        if (bytes == null || bytes.length != K_DIM * 2) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[K_DIM];
        for (int i = 0; i < K_DIM; i++) {
            v[i] = Fp16.toFloat(buf.getShort());
        }
        return v;
    }

    public static String toBase64(float[] vector) {
        return Base64.getEncoder().encodeToString(encode(vector));
    }

    /** L2 distance; infinite when either vector is missing or not finite. */
    public static double distance(float[] a, float[] b) {
        if (a == null || b == null || a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            if (!Double.isFinite(d)) {
                return Double.POSITIVE_INFINITY;
            }
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
