package io.gonkanode.api.routing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@code api_inference_inflight{node}} and {@code api_inference_max_concurrent{node}}, registered as nodes appear. */
@ApplicationScoped
public class RoutingMetrics {

    private final MeterRegistry metrics;
    private final Router router;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public RoutingMetrics(MeterRegistry metrics, Router router) {
        this.metrics = metrics;
        this.router = router;
    }

    /** Registers gauges for nodes seen for the first time. */
    public void refresh() {
        for (Backend b : router.backends()) {
            String id = b.id();
            if (registered.add(id)) {
                Gauge.builder("api.inference.inflight", router, r -> r.backends().stream().filter(x -> x.id().equals(id))
                                .mapToInt(Backend::inFlight).sum())
                        .tag("node", id).description("Requests in flight on an ML node").register(metrics);
                Gauge.builder("api.inference.max.concurrent", router, r -> r.backends().stream().filter(x -> x.id().equals(id))
                                .mapToInt(Backend::maxConcurrent).max().orElse(0))
                        .tag("node", id).description("The node's max_concurrent").register(metrics);
            }
        }
    }
}
