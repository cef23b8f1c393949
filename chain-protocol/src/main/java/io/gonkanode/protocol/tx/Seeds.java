package io.gonkanode.protocol.tx;

import io.gonkanode.protocol.crypto.SigningKey;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * An epoch's seed (writes spec §7.1): the first 8 bytes of the warm key's signature of the epoch index, as a
 * positive int64 (0 becomes 1), and the signature of the seed itself, which {@code MsgSubmitSeed} carries in
 * lower-case hex. RFC 6979 makes both a function of the key and the epoch, so a lost seed is derived again.
 */
public final class Seeds {

    /** An epoch's seed and the hex signature MsgSubmitSeed carries. */
    public record Seed(long epochIndex, long value, String signatureHex) {
    }

    private Seeds() {
    }

    public static Seed derive(SigningKey warm, long epochIndex) {
        byte[] first = warm.sign(be64(epochIndex));
        long value = ByteBuffer.wrap(first, 0, 8).getLong() & Long.MAX_VALUE;
        if (value == 0) {
            value = 1;
        }
        return new Seed(epochIndex, value, HexFormat.of().formatHex(warm.sign(be64(value))));
    }

    private static byte[] be64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }
}
