package io.gonkanode.registry.internal;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests in flight on each node, as the api-node instances report them ({@code PUT /internal/v1/load}): the
 * Admin API's {@code lock_count} is their sum. A report replaces that instance's last one; an instance silent for
 * {@link #STALE} (stopped, or cut off) counts no more. Kept in memory: in-flight work does not outlive a restart.
 */
@ApplicationScoped
public class LoadBoard {

    static final Duration STALE = Duration.ofSeconds(15);

    private record Report(long atMillis, Map<String, Integer> inFlight) {
    }

    private final Map<String, Report> byInstance = new ConcurrentHashMap<>();

    public void report(String instance, Map<String, Integer> inFlight) {
        byInstance.put(instance, new Report(System.currentTimeMillis(), Map.copyOf(inFlight)));
    }

    /** The requests in flight on {@code nodeId} over every api-node instance heard from lately. */
    public int lockCount(String nodeId) {
        long oldest = System.currentTimeMillis() - STALE.toMillis();
        int sum = 0;
        for (var e : byInstance.entrySet()) {
            if (e.getValue().atMillis() < oldest) {
                byInstance.remove(e.getKey(), e.getValue());
                continue;
            }
            sum += e.getValue().inFlight().getOrDefault(nodeId, 0);
        }
        return sum;
    }
}
