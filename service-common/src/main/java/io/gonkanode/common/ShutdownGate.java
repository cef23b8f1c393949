package io.gonkanode.common;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Lets a stopping service finish its background work before its database pool closes: periodic work runs
 * through {@link #run}, and the service's shutdown (one of its first steps) waits for work under way and lets
 * none start. Without it a tick caught mid-transaction by the shutdown logs "This connection has been closed".
 */
@ApplicationScoped
public class ShutdownGate {

    /** How long a shutdown waits for work under way. */
    static final Duration GRACE = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(ShutdownGate.class);

    private final Object lock = new Object();
    private int running;
    private boolean closed;

    /** Runs {@code work} now, unless the service is stopping. */
    public void run(Runnable work) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            running++;
        }
        try {
            work.run();
        } finally {
            synchronized (lock) {
                running--;
                lock.notifyAll();
            }
        }
    }

    /** Whether the service is stopping. */
    public boolean closed() {
        synchronized (lock) {
            return closed;
        }
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        close();
    }

    /** Lets no more work start and waits (at most {@link #GRACE}) for the work under way. */
    public void close() {
        long deadline = System.nanoTime() + GRACE.toNanos();
        synchronized (lock) {
            closed = true;
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warnf("stopping with %d background task(s) still running", running);
                    return;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
