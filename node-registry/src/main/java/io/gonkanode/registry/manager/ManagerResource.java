package io.gonkanode.registry.manager;

import io.gonkanode.registry.config.ManagerConfig;
import io.gonkanode.registry.mlnode.MlNodeClient;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /internal/v1/manager}: whether this replica leads the node manager, for operators and tests. */
@Path("/internal/v1/manager")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal")
public class ManagerResource {

    private final NodeManager manager;
    private final ManagerConfig config;
    private final String instanceId;

    public ManagerResource(NodeManager manager, ManagerConfig config) {
        this.manager = manager;
        this.config = config;
        this.instanceId = MlNodeClient.instanceId(config);
    }

    /** This replica's node manager. */
    @RegisterForReflection
    public record Status(String instanceId, boolean enabled, boolean leader, long pollIntervalMs, int commandsInFlight) {
    }

    @GET
    @Operation(summary = "This replica's node manager: leader or standby")
    public Status status() {
        return new Status(instanceId, config.enabled(), manager.isLeader(), config.pollInterval().toMillis(),
                manager.commandsInFlight());
    }
}
