package io.gonkanode.chainsim.node;

import io.gonkanode.chainsim.config.ChainSimConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Makes a block every {@code SIM_CHAIN_BLOCK_TIME}, unless paused, later by the slow-block fault. Its own single
 * thread rather than {@code @Scheduled}: the interval changes at runtime (slow blocks) and a block must never
 * start before the last one is committed. {@code SIM_CHAIN_PRODUCE_BLOCKS=false} leaves block production to
 * the caller (tests).
 */
@ApplicationScoped
public class BlockLoop {

    private final Chain chain;
    private final Faults faults;
    private final ChainSimConfig config;
    private final boolean enabled;
    private String lastHalt;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "block-loop");
        t.setDaemon(true);
        return t;
    });

    public BlockLoop(Chain chain, Faults faults, ChainSimConfig config) {
        this.chain = chain;
        this.faults = faults;
        this.config = config;
        this.enabled = config.produceBlocks();
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            thread.schedule(this::next, 0, TimeUnit.MILLISECONDS);
            Log.infof("chain %s: a block every %s", config.id(), config.blockTime());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        thread.shutdownNow();
    }

    private void next() {
        long started = System.nanoTime();
        try {
            var halt = chain.halted();
            if (halt.isPresent()) {
                if (!halt.get().equals(lastHalt)) {
                    Log.errorf("%s", halt.get());
                    lastHalt = halt.get();
                }
            } else if (!faults.paused()) {
                lastHalt = null;
                chain.produceBlock();
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "block production failed");
        }
        long elapsed = System.nanoTime() - started;
        long delay = Math.max(0, config.blockTime().toNanos() + faults.extraBlockDelay().toNanos() - elapsed);
        if (!thread.isShutdown()) {
            thread.schedule(this::next, delay, TimeUnit.NANOSECONDS);
        }
    }
}
