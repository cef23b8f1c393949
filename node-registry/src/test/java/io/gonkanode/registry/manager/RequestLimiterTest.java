package io.gonkanode.registry.manager;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestLimiterTest {

    @Test
    void callsOverTheCapWaitWithoutBlockingAndStartAsPlacesFree() {
        RequestLimiter limiter = new RequestLimiter(2);
        List<CompletableFuture<Integer>> requests = new ArrayList<>();
        AtomicInteger started = new AtomicInteger();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Integer> request = new CompletableFuture<>();
            requests.add(request);
            results.add(limiter.call(() -> {
                started.incrementAndGet();
                return request;
            }));
        }
        // the caller was not held: five calls made, two started
        assertEquals(2, started.get());
        assertEquals(2, limiter.inFlight());

        requests.get(0).complete(0);
        assertEquals(0, results.get(0).join());
        assertEquals(3, started.get(), "the finished request's place went to the next in line");
        requests.get(1).completeExceptionally(new IllegalStateException("refused"));
        assertTrue(results.get(1).isCompletedExceptionally());
        assertEquals(4, started.get());
        assertEquals(2, limiter.inFlight());

        for (int i = 2; i < 5; i++) {
            requests.get(i).complete(i);
        }
        assertEquals(5, started.get());
        assertEquals(0, limiter.inFlight());
        assertEquals(4, results.get(4).join());
    }

    @Test
    void aCallCancelledWhileWaitingNeverStartsAndCancellingAStartedOneCancelsItsRequest() {
        RequestLimiter limiter = new RequestLimiter(1);
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> running = limiter.call(() -> first);
        AtomicInteger secondStarted = new AtomicInteger();
        CompletableFuture<String> waiting = limiter.call(() -> {
            secondStarted.incrementAndGet();
            return new CompletableFuture<>();
        });
        waiting.cancel(true);
        running.cancel(true);

        assertTrue(first.isCancelled(), "the running request itself was cancelled");
        assertEquals(0, secondStarted.get());
        assertEquals(0, limiter.inFlight());
        assertFalse(limiter.call(() -> CompletableFuture.completedFuture("x")).isCompletedExceptionally());
    }
}
