package io.gonkanode.registry.manager;

import io.gonkanode.registry.config.ManagerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Caps the requests in flight to ML nodes at once, polls and commands together ({@code max-concurrent-requests}).
 * It never blocks: a call over the cap waits in line and is started by the completion that frees its place. So a
 * continuation running on an HTTP client's event loop may ask for the next request without stalling that loop.
 */
@ApplicationScoped
public class RequestLimiter {

    private final int max;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    @Inject
    public RequestLimiter(ManagerConfig config) {
        this(config.maxConcurrentRequests());
    }

    RequestLimiter(int max) {
        this.max = Math.max(1, max);
    }

    /**
     * Runs {@code call} now, or once a place is free; the place returns when its future completes. Cancelling the
     * returned future cancels the call's own future (which aborts the request), or the call before it starts.
     */
    public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            if (result.isDone()) {
                release(); // cancelled while waiting
                return;
            }
            CompletableFuture<T> f;
            try {
                f = call.get();
            } catch (RuntimeException e) {
                release();
                result.completeExceptionally(e);
                return;
            }
            result.whenComplete((v, e) -> {
                if (result.isCancelled()) {
                    f.cancel(true);
                }
            });
            f.whenComplete((v, e) -> {
                release();
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            });
        };
        boolean now;
        synchronized (this) {
            now = inFlight < max;
            if (now) {
                inFlight++;
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    /** Requests started and not finished yet. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** Hands the place to the next waiting call, or gives it back. */
    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.run();
        }
    }
}
