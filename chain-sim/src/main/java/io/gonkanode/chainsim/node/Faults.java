package io.gonkanode.chainsim.node;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The faults in force, set through {@code /sim/v1/...}: paused blocks, a catching-up node, slow blocks, refused txs. */
@ApplicationScoped
public class Faults {

    /** What CheckTx answers to the next {@code remaining} transactions instead of checking them. */
    public record Rejection(int code, String codespace, String log) {
    }

    private volatile boolean paused;
    private volatile boolean catchingUp;
    private volatile Duration extraBlockDelay = Duration.ZERO;
    private final AtomicInteger rejectRemaining = new AtomicInteger();
    private volatile Rejection rejection = new Rejection(20, "sdk", "mempool is full");

    public boolean paused() {
        return paused;
    }

    public void paused(boolean value) {
        paused = value;
    }

    public boolean catchingUp() {
        return catchingUp;
    }

    public void catchingUp(boolean value) {
        catchingUp = value;
    }

    public Duration extraBlockDelay() {
        return extraBlockDelay;
    }

    public void extraBlockDelay(Duration value) {
        extraBlockDelay = value;
    }

    public void rejectNext(int count, Rejection with) {
        rejection = with;
        rejectRemaining.set(count);
    }

    /** The rejection for this transaction, if one is still due (counts it down). */
    public Rejection takeRejection() {
        return rejectRemaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? rejection : null;
    }

    public int rejectionsLeft() {
        return rejectRemaining.get();
    }
}
