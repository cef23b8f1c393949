package io.gonkanode.registry.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Map;

/**
 * The {@code state} half of a {@code GET /admin/v1/nodes} entry, in upstream's keys and order
 * ({@code NodeState}); {@code preserved_models} marks the models the chain's preserved-nodes snapshot keeps the node
 * serving during PoC; {@code loaded_model} and {@code last_seen} are ours.
 */
@RegisterForReflection
public record NodeStateView(
        String intendedStatus,
        String currentStatus,
        @JsonInclude(JsonInclude.Include.NON_NULL) ReconcileInfo reconcileInfo,
        String pocIntendedStatus,
        String pocCurrentStatus,
        int lockCount,
        String failureReason,
        Instant statusTimestamp,
        AdminState adminState,
        String mlNodeVersion,
        boolean pocValidationInference,
        Map<String, Object> epochModels,
        Map<String, Object> epochMlNodes,
        Map<String, Boolean> preservedModels,
        String loadedModel,
        Instant lastSeen) {

    /** Upstream's {@code admin_state}: enabled, and the epoch index at the last enable/disable. */
    @RegisterForReflection
    public record AdminState(boolean enabled, long epoch) {
    }

    /** The command in flight: target status as upstream's numeric enum, and the PoC sub-status. */
    @RegisterForReflection
    public record ReconcileInfo(int status, String pocStatus) {
    }
}
