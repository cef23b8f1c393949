package io.gonkanode.collector.artifact;

import io.gonkanode.collector.chain.EpochClock;
import io.gonkanode.collector.chain.EpochMath;
import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.common.ShutdownGate;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Keeps the artifacts of the last {@code gonka.poc.retention-stages} stages; older ones are deleted in the background. */
@ApplicationScoped
public class Pruner {

    private final EpochClock clock;
    private final ArtifactStore store;
    private final CollectorConfig config;

    private final ShutdownGate gate;

    public Pruner(EpochClock clock, ArtifactStore store, CollectorConfig config, ShutdownGate gate) {
        this.gate = gate;
        this.clock = clock;
        this.store = store;
        this.config = config;
    }

    @Scheduled(every = "60s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        gate.run(() -> {
            try {
                int removed = pruneNow();
                if (removed > 0) {
                    Log.infof("pruned %d artifacts older than the last %d stages", removed, config.poc().retentionStages());
                }
            } catch (RuntimeException e) {
                Log.warnf("pruning failed: %s", e.getMessage());
            }
        });
    }

    public int pruneNow() {
        EpochMath math = clock.math();
        long latest = math.latestEpoch(clock.height());
        long oldestKept = latest - config.poc().retentionStages() + 1;
        if (oldestKept <= 1) {
            return 0;
        }
        return store.pruneBefore(math.pocStart(oldestKept));
    }
}
