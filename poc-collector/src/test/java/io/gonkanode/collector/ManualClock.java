package io.gonkanode.collector;

import io.gonkanode.collector.chain.EpochClock;
import io.gonkanode.collector.chain.EpochMath;
import io.gonkanode.collector.chain.LocalEpochClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/** The collector's clock in tests: the block height is whatever the test sets, so rounds happen on cue. */
@Alternative
@Priority(1)
@ApplicationScoped
public class ManualClock implements EpochClock {

    private final LocalEpochClock local;
    private volatile long height;

    public ManualClock(LocalEpochClock local) {
        this.local = local;
    }

    public void set(long height) {
        this.height = height;
    }

    @Override
    public long height() {
        return height;
    }

    @Override
    public EpochMath math() {
        return local.math();
    }

    @Override
    public String blockHash(long height) {
        return local.blockHash(height);
    }
}
