package io.gonkanode.collector.registry;

import io.gonkanode.collector.chain.EpochClock;
import io.gonkanode.collector.chain.EpochMath;
import io.gonkanode.collector.chain.EpochStore;
import io.gonkanode.collector.config.PocModels;
import io.gonkanode.common.QuietWarnings;
import io.gonkanode.common.ShutdownGate;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells node-registry the current PoC round whenever the phase changes (a confirmation PoC, between regular rounds,
 * is announced with its trigger height and seed hash as the stage), retrying every second until it
 * acknowledges. What was acknowledged is stored per epoch, so a restarted collector re-announces only what
 * the registry has not confirmed (announcing is idempotent anyway).
 */
@ApplicationScoped
public class RoundAnnouncer {

    private final EpochClock clock;
    private final EpochStore epochs;
    private final PocModels models;
    private final RegistryApi registry;
    private final QuietWarnings warnings = new QuietWarnings(RoundAnnouncer.class, Duration.ofSeconds(10));

    private final ShutdownGate gate;
    private final io.gonkanode.collector.chain.BlockFollower chain;
    private final io.gonkanode.collector.chain.EpochMembership membership;

    public RoundAnnouncer(EpochClock clock, EpochStore epochs, PocModels models, @RestClient RegistryApi registry, ShutdownGate gate,
                          io.gonkanode.collector.chain.BlockFollower chain, io.gonkanode.collector.chain.EpochMembership membership) {
        this.chain = chain;
        this.membership = membership;
        this.gate = gate;
        this.clock = clock;
        this.epochs = epochs;
        this.models = models;
        this.registry = registry;
    }

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        gate.run(() -> {
            try {
                announceCurrent();
            } catch (RuntimeException e) {
                warnings.warn("round announcement failed: " + e.getMessage());
            }
        });
    }

    /** Announces the current phase if the registry has not acknowledged it; true when it has. */
    public boolean announceCurrent() {
        var paused = clock.paused();
        if (paused.isPresent()) {
            warnings.warn("round not announced while " + paused.get());
            return false;
        }
        long height = clock.height();
        EpochMath math = clock.math();
        long n = math.latestEpoch(height);
        long pocStart = math.pocStart(n);
        EpochStore.Epoch epoch = epochs.ensure(n, pocStart, clock.blockHash(pocStart));
        RoundPhase phase = RoundPhase.at(math, height);
        long stage = pocStart;
        String stageHash = epoch.blockHash();
        // between regular rounds, a confirmation PoC of an epoch this host is a member of: its own stage and seed
        var cpoc = phase == RoundPhase.INFERENCE ? clock.confirmationPoc().filter(c -> c.generating(height) || c.validating(height))
                .filter(c -> membership.member(n)) : java.util.Optional.<io.gonkanode.collector.chain.ConfirmationPoc>empty();
        if (cpoc.isPresent()) {
            phase = cpoc.get().generating(height) ? RoundPhase.GENERATE : RoundPhase.VALIDATE;
            stage = cpoc.get().triggerHeight();
            stageHash = cpoc.get().seedHash(); // lower-case as the chain wrote it: passed through unchanged
        }
        String announced = phase.name() + (cpoc.isPresent() ? "@" + stage : "");
        if (announced.equals(epoch.announcedPhase())) {
            return true;
        }
        Map<String, RoundAnnouncement.ModelParams> params = new LinkedHashMap<>();
        RoundAnnouncement announcement;
        var facts = chain.enabled() ? chain.facts().orElse(null) : null;
        if (facts != null) {
            // the chain's PoC models, each with its governance args (which go first and win in inference/up)
            facts.seqLens().forEach((id, seqLen) -> params.put(id, new RoundAnnouncement.ModelParams(seqLen,
                    facts.modelArgs().getOrDefault(id, java.util.List.of()))));
            announcement = new RoundAnnouncement(n, phase, stage, stageHash, params, facts.pocStrongerRng(), facts.mlnodeVersion());
        } else {
            models.all().forEach((id, m) -> params.put(id, new RoundAnnouncement.ModelParams(m.seqLen())));
            announcement = new RoundAnnouncement(n, phase, stage, stageHash, params);
        }
        try (Response r = registry.announce(announcement)) {
            if (r.getStatus() != 200) {
                warnings.warn("node-registry refused the round (" + r.getStatus() + "): " + r.readEntity(String.class));
                return false;
            }
        } catch (RuntimeException e) {
            warnings.warn("node-registry unreachable, round " + n + " " + phase + " not announced yet: " + e.getMessage());
            return false;
        }
        epochs.announced(n, announced);
        Log.infof("round announced: epoch %d, %s, stage %d (height %d)%s", n, phase, stage, height,
                cpoc.isPresent() ? ", confirmation PoC " + cpoc.get().sequence() : "");
        return true;
    }
}
