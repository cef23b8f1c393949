package io.gonkanode.collector.chain;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;

/**
 * How well this host follows its chain node, on {@code /q/metrics}: the node's height and this collector's, the lag
 * between them, the age of the node's latest block, and the follower's state ({@code gonka_chain_sync{state}} is 1 for
 * the current one, 0 for the others), so an alert can say "stale" or "catching up" without reading logs.
 */
@ApplicationScoped
public class ChainMetrics {

    void register(@Observes StartupEvent event, BlockFollower follower, MeterRegistry metrics) {
        Gauge.builder("gonka.chain.height", follower, BlockFollower::latestHeight)
                .description("the highest block height the chain node has reported").register(metrics);
        Gauge.builder("gonka.chain.processed.height", follower, BlockFollower::processed)
                .description("the last block whose hooks this collector has done (-1 before the first)").register(metrics);
        Gauge.builder("gonka.chain.lag.blocks", follower, f -> f.processed() < 0 ? 0 : Math.max(0, f.latestHeight() - f.processed()))
                .description("blocks the chain node has that this collector has not processed yet").register(metrics);
        Gauge.builder("gonka.chain.block.age.seconds", follower, f -> age(f.latestBlockTime()))
                .description("how old the chain node's latest block is (-1 before one is known)").register(metrics);
        for (BlockFollower.Sync state : BlockFollower.Sync.values()) {
            Gauge.builder("gonka.chain.sync", follower, f -> f.sync() == state ? 1 : 0).tag("state", state.name())
                    .description("1 for the follower's current state: LIVE, CATCHING_UP, STALE, UNREACHABLE or NOT_STARTED")
                    .register(metrics);
        }
    }

    static double age(Instant latestBlockTime) {
        if (latestBlockTime == null || latestBlockTime.equals(Instant.EPOCH)) {
            return -1;
        }
        return Math.max(0, Duration.between(latestBlockTime, Instant.now()).toMillis() / 1000.0);
    }
}
