package io.gonkanode.registry.manager;

import io.gonkanode.registry.config.ManagerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/** Caps the requests in flight to ML nodes at once, polls and commands together ({@code max-concurrent-requests}). */
@ApplicationScoped
public class RequestLimiter {

    private final Semaphore permits;

    public RequestLimiter(ManagerConfig config) {
        this.permits = new Semaphore(config.maxConcurrentRequests());
    }

    /** Runs {@code call} once a permit is free; the permit returns when its future completes. */
    public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            permits.release();
            return CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, e) -> permits.release());
        return f; // the call's own future: cancelling it aborts the request
    }
}
