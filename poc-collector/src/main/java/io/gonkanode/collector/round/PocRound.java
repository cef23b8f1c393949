package io.gonkanode.collector.round;

import io.gonkanode.collector.chain.EpochClock;
import io.gonkanode.collector.chain.EpochMath;
import io.gonkanode.collector.chain.EpochStore;
import io.gonkanode.collector.tx.TxSender;
import io.gonkanode.collector.validation.SampleValidator;
import io.gonkanode.collector.weight.WeightService;
import io.gonkanode.common.ShutdownGate;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The PoC round's driver, on top of the parts it calls (they never call back up): every second it looks
 * at the chain height and, once the exchange window has closed, has the {@link SampleValidator} begin and
 * drive the validation of the latest epoch; at set_new_validators it has the {@link WeightService} compute
 * the weights. What each step did is in the database, so a restarted collector resumes where it was.
 */
@ApplicationScoped
public class PocRound {

    private final EpochClock clock;
    private final EpochStore epochs;
    private final SampleValidator validator;
    private final WeightService weights;
    private final ShutdownGate gate;
    private final TxSender sender;

    public PocRound(EpochClock clock, EpochStore epochs, SampleValidator validator, WeightService weights, ShutdownGate gate, TxSender sender) {
        this.gate = gate;
        this.sender = sender;
        this.clock = clock;
        this.epochs = epochs;
        this.validator = validator;
        this.weights = weights;
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        gate.run(() -> {
            try {
                step();
            } catch (RuntimeException e) {
                Log.warnf("PoC round step failed: %s", e.getMessage());
            }
        });
    }

    /** One pass: start the latest epoch's validation when due, drive open requests, compute weights when due. */
    public void step() {
        if (clock.paused().isPresent()) {
            return; // the chain node is catching up, stale or unreachable: nothing is decided on a height that may be old
        }
        if (sender.enabled()) {
            return; // this host is on chain: its commitment is validated with everyone's (HostValidator), the chain weighs it
        }
        long height = clock.height();
        EpochMath math = clock.math();
        long n = math.latestEpoch(height);
        if (n == 0) {
            return;
        }
        long start = math.pocStart(n);
        long offset = height - start;
        EpochStore.Epoch epoch = epochs.ensure(n, start, clock.blockHash(start));
        // never sample while batches may still arrive: after validation start and after the exchange deadline
        if (offset < Math.max(math.params().validationStart(), math.params().exchangeDeadline() + 1)) {
            return;
        }
        if (epoch.validationStartedAt() == null) {
            validator.begin(epoch);
        }
        if (epoch.weightsAt() != null) {
            return;
        }
        if (offset >= math.params().setNewValidators()) {
            weights.compute(epoch, start + math.params().setNewValidators());
            return;
        }
        validator.drive(epoch);
    }
}
