package io.gonkanode.collector.chain;

import io.gonkanode.common.rest.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The chain's clock: the height is the last block the {@link BlockFollower} has processed (so the round never
 * acts on a block whose hooks have not run), the epoch arithmetic uses the chain's own EpochParams, and block
 * hashes are the chain's.
 */
@ApplicationScoped
public class ChainEpochClock implements EpochClock {

    private final BlockFollower follower;

    public ChainEpochClock(BlockFollower follower) {
        this.follower = follower;
    }

    @Override
    public long height() {
        return Math.max(0, follower.processed());
    }

    @Override
    public EpochMath math() {
        // every caller that acts asks paused() first; a reader before the first EpochInfo gets a 503 saying why
        return follower.math().orElseThrow(() -> new ApiException(503,
                "the chain's epoch parameters are not read yet: " + paused().orElse("connecting to the chain node")));
    }

    @Override
    public String blockHash(long height) {
        return follower.hash(height).orElseThrow(() -> new IllegalStateException("the hash of block " + height + " is not known yet"));
    }

    @Override
    public Optional<ConfirmationPoc> confirmationPoc() {
        var info = follower.epochInfo().orElse(null);
        return info == null || !info.getIsConfirmationPocActive() ? Optional.empty()
                : Optional.of(ConfirmationPoc.of(info.getActiveConfirmationPocEvent(), math().params()));
    }

    @Override
    public Optional<String> paused() {
        return follower.processed() < 0 ? Optional.of("no block processed yet") : follower.paused();
    }
}
