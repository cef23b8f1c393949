package io.gonkanode.api.view;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once a node view has been loaded; afterwards routing goes on with the last view even if the registry is away. */
@Readiness
@ApplicationScoped
public class NodeViewReadiness implements HealthCheck {

    private final NodeView view;

    public NodeViewReadiness(NodeView view) {
        this.view = view;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("node view from node-registry").status(view.loaded()).build();
    }
}
