package io.gonkanode.collector;

import io.gonkanode.collector.chain.EpochClock;
import io.gonkanode.collector.chain.EpochMath;
import io.gonkanode.collector.chain.EpochParams;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The collector's clock in the tests of its HTTP surface (callbacks, pruning, admission), which need no chain: the
 * block height is whatever the test sets, the epoch parameters are chain-sim's fast ones but with a 5-block exchange
 * window, and the hash of block h is the uppercase hex SHA-256 of {@code "test-chain:h"}. Everything that follows a
 * chain is tested on chain-sim ({@link ChainHost}).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ManualClock implements EpochClock {

    static final EpochMath MATH = new EpochMath(new EpochParams(120, 100, 20, 5, 3, 30, 5, 5));

    private volatile long height;

    public void set(long height) {
        this.height = height;
    }

    @Override
    public long height() {
        return height;
    }

    @Override
    public EpochMath math() {
        return MATH;
    }

    @Override
    public String blockHash(long height) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("test-chain:" + height).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
