package io.gonkanode.registry.internal;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.gonkanode.registry.node.Hardware;
import io.gonkanode.registry.node.ModelArgs;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node as the other services see it ({@code GET /internal/v1/nodes}): configuration, admin state,
 * observed state and node_num in one flat record.
 */
@RegisterForReflection
public record InternalNodeView(
        String id,
        int nodeNum,
        String host,
        int inferencePort,
        String inferenceSegment,
        int pocPort,
        String pocSegment,
        int maxConcurrent,
        Map<String, ModelArgs> models,
        List<Hardware> hardware,
        boolean enabled,
        long adminEpoch,
        boolean operational,
        boolean routable,
        String servedModel,
        ObservedState state) {

    /** What the node manager last observed; {@code status} is UNKNOWN, INFERENCE, POC, STOPPED or FAILED. */
    @RegisterForReflection
    public record ObservedState(
            String status,
            String pocStatus,
            String intendedStatus,
            String pocIntendedStatus,
            String failureReason,
            Instant statusTimestamp,
            String mlNodeVersion,
            String loadedModel,
            boolean inferenceHealthy) {
    }

    /**
     * The whole view; {@code version} equals the ETag. {@code callback_token_sha256} is the SHA-256 (hex) of the token ML
     * nodes are handed in their callback URLs (null: none), for poc-collector to admit their batches by; the token itself
     * never leaves node-registry but inside those URLs.
     */
    @RegisterForReflection
    public record Nodes(String version, List<InternalNodeView> nodes,
                        @JsonProperty("callback_token_sha256") String callbackTokenSha256) {
    }
}
