package io.gonkanode.sim.fault;

import io.gonkanode.sim.config.SimConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.concurrent.atomic.AtomicReference;

/** The faults in force on one node now: the configured ones at start, changed at runtime through its /sim/v1/faults. */
public class Faults {

    /** A snapshot of every fault; {@code state_delay_ms} delays /api/v1/state. */
    @RegisterForReflection
    public record Settings(boolean inferenceUpFails, boolean noCallbacks, boolean inferenceErrors,
                           boolean inferenceHangs, boolean inferenceDrops, boolean cheater, long stateDelayMs) {
    }

    private final AtomicReference<Settings> current;

    public Faults(SimConfig config) {
        SimConfig.Fault f = config.fault();
        current = new AtomicReference<>(new Settings(f.inferenceUpFails(), f.noCallbacks(), f.inferenceErrors(),
                f.inferenceHangs(), f.inferenceDrops(), f.cheater(), f.stateDelay().toMillis()));
    }

    public Settings get() {
        return current.get();
    }

    public void set(Settings settings) {
        current.set(settings);
    }
}
