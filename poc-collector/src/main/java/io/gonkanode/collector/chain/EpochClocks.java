package io.gonkanode.collector.chain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The clock every part of the round uses: the chain's when {@code DAPI_CHAIN_NODE__URL} is set, else the local one. */
@ApplicationScoped
public class EpochClocks {

    @Produces
    @ApplicationScoped
    EpochClock clock(BlockFollower follower, ChainEpochClock chain, LocalEpochClock local) {
        return follower.enabled() ? chain : local;
    }
}
