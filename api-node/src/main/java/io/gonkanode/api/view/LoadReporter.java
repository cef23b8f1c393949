package io.gonkanode.api.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gonkanode.api.routing.Backend;
import io.gonkanode.api.routing.Router;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.Map;
import java.util.TreeMap;

/**
 * Tells node-registry how many requests this instance has in flight on each node, so the Admin API's
 * {@code lock_count} shows the work a node is doing (upstream counts its inference locks there): every second when the
 * counts changed, every five seconds otherwise (the registry forgets an instance silent for fifteen).
 */
@ApplicationScoped
public class LoadReporter {

    static final long HEARTBEAT_MILLIS = 5_000;

    /** One report: this instance and its in-flight requests per node id (nodes with none left out). */
    @RegisterForReflection
    public record Report(String instance, @JsonProperty("in_flight") Map<String, Integer> inFlight) {
    }

    private final Router router;
    private final RegistryNodesApi registry;
    private final String instance = System.getenv().getOrDefault("HOSTNAME", "localhost") + "-" + ProcessHandle.current().pid();
    private volatile Map<String, Integer> lastSent;
    private volatile long lastSentAt;

    public LoadReporter(Router router, @RestClient RegistryNodesApi registry) {
        this.router = router;
        this.registry = registry;
    }

    @Scheduled(every = "${gonka.registry.load-report-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void report() {
        Map<String, Integer> now = new TreeMap<>();
        for (Backend b : router.backends()) {
            int n = b.inFlight();
            if (n > 0) {
                now.merge(b.id(), n, Integer::sum);
            }
        }
        long at = System.currentTimeMillis();
        if (now.equals(lastSent) && at - lastSentAt < HEARTBEAT_MILLIS) {
            return;
        }
        try (Response r = registry.load(new Report(instance, now))) {
            if (r.getStatus() / 100 == 2) {
                lastSent = now;
                lastSentAt = at;
            } else {
                Log.debugf("node-registry answered %d to the load report", r.getStatus());
            }
        } catch (RuntimeException e) {
            Log.debugf("load report not delivered: %s", e.getMessage());
        }
    }
}
