package io.gonkanode.collector.chain;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the chain followed is live: not catching up, not stale, reachable (never without a chain node). */
@Readiness
@ApplicationScoped
public class ChainReadiness implements HealthCheck {

    private final BlockFollower follower;

    public ChainReadiness(BlockFollower follower) {
        this.follower = follower;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("chain");
        if (!follower.enabled()) { // Main refuses to start without one; this catches the setting from other config sources
            return b.down().withData("reason", ChainReadResource.NO_CHAIN).build();
        }
        b.withData("processed_height", follower.processed()).withData("sync", follower.sync().name());
        return follower.paused().map(reason -> b.down().withData("reason", reason).build()).orElseGet(() -> b.up().build());
    }
}
