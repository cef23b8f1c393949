package io.gonkanode.api.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.api.config.ApiConfig;
import io.gonkanode.api.routing.Router;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the router in step with node-registry's {@code /internal/v1/nodes}: polled every refresh interval
 * with If-None-Match, so an unchanged view costs a 304. If the registry cannot be reached, routing goes on
 * with the last view it gave.
 */
@ApplicationScoped
public class NodeView {

    private final ApiConfig config;
    private final Router router;
    private final io.gonkanode.api.routing.RoutingMetrics routingMetrics;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-view");
        t.setDaemon(true);
        return t;
    });
    private volatile String etag;
    private volatile boolean loaded;
    private volatile long lastWarning;

    public NodeView(ApiConfig config, Router router, io.gonkanode.api.routing.RoutingMetrics routingMetrics) {
        this.config = config;
        this.router = router;
        this.routingMetrics = routingMetrics;
    }

    void onStart(@Observes StartupEvent event) {
        timer.scheduleWithFixedDelay(this::refresh, 0, config.registry().refreshInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }

    public boolean loaded() {
        return loaded;
    }

    /** One poll of the registry; false when it did not answer. */
    public boolean refresh() {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.registry().url() + "/internal/v1/nodes"))
                    .timeout(Duration.ofSeconds(5)).header("Accept", "application/json");
            String tag = etag;
            if (tag != null) {
                request.header("If-None-Match", tag);
            }
            config.registry().adminToken().filter(t -> !t.isBlank()).ifPresent(t -> request.header("Authorization", "Bearer " + t));
            HttpResponse<byte[]> r = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 304) {
                refreshSuspensions();
                return true;
            }
            if (r.statusCode() != 200) {
                warn("node-registry answered " + r.statusCode() + " for the node view; routing on the last one");
                return false;
            }
            router.apply(parse(json.readTree(r.body())));
            routingMetrics.refresh();
            etag = r.headers().firstValue("ETag").orElse(null);
            if (!loaded) {
                Log.infof("node view loaded from %s", config.registry().url());
            }
            loaded = true;
            return true;
        } catch (Exception e) {
            warn("node-registry unreachable (" + e.getMessage() + "); routing on the last node view");
            return false;
        }
    }

    /** Suspensions end on their own: re-apply the last view so expired ones rejoin. */
    private void refreshSuspensions() {
        if (lastView != null) {
            router.apply(lastView);
        }
    }

    private volatile Router.View lastView;

    Router.View parse(JsonNode body) {
        Map<String, List<Router.NodeSpec>> routable = new HashMap<>();
        Set<String> known = new HashSet<>();
        for (JsonNode n : body.path("nodes")) {
            n.path("models").fieldNames().forEachRemaining(known::add);
            String model = n.path("served_model").isTextual() ? n.path("served_model").asText() : null;
            if (model == null || !n.path("routable").asBoolean(false)) {
                continue;
            }
            routable.computeIfAbsent(model, m -> new ArrayList<>()).add(new Router.NodeSpec(n.path("id").asText(),
                    n.path("node_num").asInt(), n.path("host").asText(), n.path("inference_port").asInt(),
                    n.path("inference_segment").asText(""), n.path("max_concurrent").asInt(1)));
        }
        Router.View view = new Router.View(routable, known);
        lastView = view;
        return view;
    }

    private void warn(String message) {
        long now = System.currentTimeMillis();
        if (now - lastWarning > 10_000) {
            lastWarning = now;
            Log.warn(message);
        }
    }
}
