package io.gonkanode.sim.inference;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the inference side has seen: completions in flight now, the most ever in flight at once, and the
 * responses sent per X-Request-Id, so tests can check a gateway's concurrency cap and byte-for-byte
 * pass-through from the ML node's side.
 */
public class InferenceStats {

    private static final int KEPT_RESPONSES = 512;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final Map<String, byte[]> responses = new LinkedHashMap<>(KEPT_RESPONSES, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > KEPT_RESPONSES;
        }
    };

    /** A snapshot for /sim/v1/stats. */
    @RegisterForReflection
    public record Snapshot(int inFlight, int maxInFlight, long started, long completed) {
    }

    void begin() {
        started.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
    }

    void end() {
        inFlight.decrementAndGet();
        completed.incrementAndGet();
    }

    synchronized void record(String requestId, byte[] body) {
        if (requestId != null) {
            responses.put(requestId, body);
        }
    }

    public synchronized byte[] response(String requestId) {
        return responses.get(requestId);
    }

    public Snapshot snapshot() {
        return new Snapshot(inFlight.get(), maxInFlight.get(), started.get(), completed.get());
    }

    /** Forgets the maximum and the counters (not the requests in flight). */
    public synchronized void reset() {
        maxInFlight.set(inFlight.get());
        started.set(0);
        completed.set(0);
        responses.clear();
    }
}
