package io.gonkanode.common;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning that repeats every second while a peer is away (the registry down, say) is logged at most once
 * per interval; the rest are dropped, since the first one already said it.
 */
public final class QuietWarnings {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong last = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);

    public QuietWarnings(Class<?> owner, Duration interval) {
        this.log = Logger.getLogger(owner);
        this.intervalNanos = interval.toNanos();
    }

    public void warn(String message) {
        long now = System.nanoTime();
        long previous = last.get();
        if (now - previous >= intervalNanos && last.compareAndSet(previous, now)) {
            log.warn(message);
        }
    }
}
