package io.gonkanode.protocol.proofs;

import io.gonkanode.protocol.crypto.Hashes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Which leaves a validator asks a host for (writes spec §6.4): a seed from the validator's key, the sampling block
 * hash, the stage and the model; Go's {@code math/rand} from it; a lazy Fisher–Yates draw of {@code size} distinct
 * dense indices below {@code count} (all of them when the sample would cover the set).
 */
public final class Sampling {

    private Sampling() {
    }

    public static long seed(String validatorPubKeyHex, String samplingBlockHash, long stage, String modelId) {
        byte[] digest = Hashes.sha256((validatorPubKeyHex + ":" + samplingBlockHash + ":" + stage + ":" + modelId)
                .getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest, 0, 8).getLong();
    }

    public static long[] leafIndices(String validatorPubKeyHex, String samplingBlockHash, long stage, String modelId, long count,
                                     int size) {
        if (size >= count) {
            long[] all = new long[(int) Math.max(count, 0)];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        GoRand rng = new GoRand(seed(validatorPubKeyHex, samplingBlockHash, stage, modelId));
        Map<Long, Long> moved = new HashMap<>();
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            long j = i + rng.intn(count - i);
            long atI = moved.getOrDefault((long) i, (long) i);
            long atJ = moved.getOrDefault(j, j);
            moved.put((long) i, atJ);
            moved.put(j, atI);
            out[i] = atJ;
        }
        return out;
    }
}
