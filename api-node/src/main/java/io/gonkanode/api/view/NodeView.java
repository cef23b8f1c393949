package io.gonkanode.api.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.api.config.ApiConfig;
import io.gonkanode.common.QuietWarnings;
import io.gonkanode.api.routing.Router;
import io.gonkanode.api.routing.RoutingMetrics;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the router in step with node-registry's {@code /internal/v1/nodes}: polled every refresh interval
 * with If-None-Match, so an unchanged view costs a 304. If the registry cannot be reached, routing goes on
 * with the last view it gave.
 */
@ApplicationScoped
public class NodeView {

    private final ApiConfig config;
    private final Router router;
    private final RoutingMetrics routingMetrics;
    private final RegistryNodesApi registry;
    private final ObjectMapper json;
    private volatile String etag;
    private volatile boolean loaded;
    private final QuietWarnings warnings = new QuietWarnings(NodeView.class, Duration.ofSeconds(10));
    private volatile Router.View lastView;

    public NodeView(ApiConfig config, Router router, RoutingMetrics routingMetrics, @RestClient RegistryNodesApi registry,
                    ObjectMapper json) {
        this.json = json;
        this.config = config;
        this.router = router;
        this.routingMetrics = routingMetrics;
        this.registry = registry;
    }

    @Scheduled(every = "${gonka.registry.refresh-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        refresh();
    }

    public boolean loaded() {
        return loaded;
    }

    /** One poll of the registry; false when it did not answer. */
    public synchronized boolean refresh() {
        try (Response r = registry.nodes(etag)) {
            if (r.getStatus() == 304) {
                refreshSuspensions();
                return true;
            }
            if (r.getStatus() != 200) {
                warnings.warn("node-registry answered " + r.getStatus() + " for the node view; routing on the last one");
                return false;
            }
            // read as bytes: the view is JSON whatever Content-Type a proxy or a static file server puts on it
            router.apply(view(json.readValue(r.readEntity(byte[].class), RegistryNodes.class)));
            routingMetrics.refresh();
            etag = r.getHeaderString("ETag");
            if (!loaded) {
                Log.infof("node view loaded from %s", config.registry().url());
            }
            loaded = true;
            return true;
        } catch (WebApplicationException e) {
            warnings.warn("node-registry answered " + e.getResponse().getStatus() + " for the node view; routing on the last one");
            return false;
        } catch (java.io.IOException e) {
            warnings.warn("node-registry sent a node view that is not JSON (" + e.getMessage() + "); routing on the last one");
            return false;
        } catch (RuntimeException e) {
            warnings.warn("node-registry unreachable (" + e.getMessage() + "); routing on the last node view");
            return false;
        }
    }

    /** Suspensions end on their own: re-apply the last view so expired ones rejoin. */
    private void refreshSuspensions() {
        if (lastView != null) {
            router.apply(lastView);
        }
    }

    Router.View view(RegistryNodes body) {
        Map<String, List<Router.NodeSpec>> routable = new HashMap<>();
        Set<String> known = new HashSet<>();
        for (RegistryNodes.Node n : body.nodes()) {
            if (n.models() != null) {
                known.addAll(n.models().keySet());
            }
            if (n.servedModel() == null || !n.routable()) {
                continue;
            }
            routable.computeIfAbsent(n.servedModel(), m -> new ArrayList<>()).add(new Router.NodeSpec(n.id(), n.nodeNum(),
                    n.host(), n.inferencePort(), n.inferenceSegment() == null ? "" : n.inferenceSegment(),
                    n.maxConcurrent() == null ? 1 : n.maxConcurrent()));
        }
        Router.View view = new Router.View(routable, known);
        lastView = view;
        return view;
    }
}
