package io.gonkanode.collector.chain;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The PoC stage this host works on at the last processed block, with its windows as the chain checks them (writes
 * spec §3.3-3.5, §8): a confirmation PoC event while one is active, else the latest epoch's regular stage from its
 * PoC start to the end of its validation.
 */
@ApplicationScoped
public class PocStages {

    /**
     * A stage and its inclusive windows: commits ({@code MsgPoCV2StoreCommit}), the weight distribution (sent once
     * the commit window closed, so its counts are final) and validation.
     */
    public record Stage(long height, boolean confirmation, long commitFrom, long commitUntil, long distributeUntil,
                        long validationStart, long validationEnd) {

        public boolean committing(long h) {
            return h >= commitFrom && h <= commitUntil;
        }

        public boolean distributing(long h) {
            return h > commitUntil && h <= distributeUntil;
        }
    }

    private final BlockFollower follower;
    private final ChainEpochClock clock;

    public PocStages(BlockFollower follower, ChainEpochClock clock) {
        this.follower = follower;
        this.clock = clock;
    }

    /**
     * The stage whose artifacts are served to validators (upstream's current PoC stage height): an active confirmation
     * PoC's trigger height, else the latest epoch's PoC start; −1 before the first epoch.
     */
    public long active() {
        long h = follower.processed();
        if (h < 0 || follower.math().isEmpty()) {
            return -1;
        }
        Optional<ConfirmationPoc> cpoc = clock.confirmationPoc();
        if (cpoc.isPresent() && h >= cpoc.get().generationStart() && h <= cpoc.get().validationEnd()) {
            return cpoc.get().triggerHeight();
        }
        EpochMath m = follower.math().get();
        long epoch = m.latestEpoch(h);
        return epoch <= 0 ? -1 : m.pocStart(epoch);
    }

    /** The stage of the last processed block, if it is inside one (nothing before the first block or between stages). */
    public Optional<Stage> current() {
        long h = follower.processed();
        if (h < 0 || follower.math().isEmpty()) {
            return Optional.empty();
        }
        Optional<ConfirmationPoc> cpoc = clock.confirmationPoc();
        if (cpoc.isPresent() && h >= cpoc.get().generationStart() && h <= cpoc.get().validationEnd()) {
            ConfirmationPoc e = cpoc.get();
            return Optional.of(new Stage(e.triggerHeight(), true, e.generationStart(), e.exchangeEnd(), e.validationEnd(),
                    e.validationStart(), e.validationEnd()));
        }
        EpochMath m = follower.math().get();
        long epoch = m.latestEpoch(h);
        if (epoch <= 0) {
            return Optional.empty();
        }
        EpochParams p = m.params();
        long start = m.pocStart(epoch);
        Stage regular = new Stage(start, false, start + 1, start + p.exchangeDeadline(), start + p.endOfValidation(),
                start + p.validationStart(), start + p.endOfValidation());
        return h >= start && h <= regular.validationEnd() ? Optional.of(regular) : Optional.empty();
    }
}
