package io.gonkanode.registry.round;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the chain says about this host's nodes, as poc-collector reads it: the governance models (id → vLLM args),
 * each node's assignment in the latest epoch with weight (node id → model → the epoch's model snapshot, and the
 * node's MLNodeInfo, both in upstream's JSON), and the nodes the chain's preserved-nodes snapshot keeps serving
 * inference during PoC (node id → models).
 */
@RegisterForReflection
public record ChainView(long epoch, Map<String, List<String>> governanceModels, Map<String, Map<String, Object>> epochModels,
                        Map<String, Map<String, Object>> epochMlNodes, Map<String, List<String>> preservedNodes,
                        Instant updatedAt) {

    /** The node's model in the epoch, when the chain assigned it one. */
    public Optional<String> assignedModel(String nodeId) {
        Map<String, Object> models = epochModels.get(nodeId);
        return models == null || models.isEmpty() ? Optional.empty() : Optional.of(models.keySet().iterator().next());
    }

    public boolean preserved(String nodeId) {
        List<String> models = preservedNodes.get(nodeId);
        return models != null && !models.isEmpty();
    }

    /** Same content, whatever the time it was stored. */
    boolean sameAs(ChainView other) {
        return other != null && epoch == other.epoch && governanceModels.equals(other.governanceModels)
                && epochModels.equals(other.epochModels) && epochMlNodes.equals(other.epochMlNodes)
                && preservedNodes.equals(other.preservedNodes);
    }
}
