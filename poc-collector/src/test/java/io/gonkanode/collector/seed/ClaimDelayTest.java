package io.gonkanode.collector.seed;

import io.gonkanode.collector.chain.EpochMath;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Writes spec §7.2: the claim waits a delay from the account's address, except early on and in short epochs. */
class ClaimDelayTest {

    static EpochMath.Stages stages(long claimMoney, long nextPocStart) {
        return new EpochMath.Stages(2, 0, 0, 0, 0, 0, 0, claimMoney - 1, claimMoney, 0, nextPocStart, null, null);
    }

    @Test
    void theSpecsExamples() {
        assertEquals(454, SeedHooks.claimDelay("gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw", 20_000, stages(20_000, 40_000)));
        assertEquals(289, SeedHooks.claimDelay("gonka16wrtv3esfd6m96l7gdv92a70jq7vj4l04x7dkw", 20_000, stages(20_000, 40_000)));
    }

    @Test
    void noDelayUpToHeight500OrWhenTheEpochIsShort() {
        assertEquals(0, SeedHooks.claimDelay("gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw", 500, stages(500, 5_000)));
        assertEquals(0, SeedHooks.claimDelay("gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw", 20_000, stages(20_000, 20_999)));
    }
}
