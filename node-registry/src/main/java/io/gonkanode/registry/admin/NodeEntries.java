package io.gonkanode.registry.admin;

import io.gonkanode.registry.internal.LoadBoard;
import io.gonkanode.registry.manager.Targets;
import io.gonkanode.registry.node.Node;
import io.gonkanode.registry.node.NodeService;
import io.gonkanode.registry.node.NodeState;
import io.gonkanode.registry.round.ChainView;
import io.gonkanode.registry.round.ChainViews;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the {@code {"node","state"}} entries of the Admin API from what is stored. */
@ApplicationScoped
public class NodeEntries {

    private final Targets targets;
    private final ChainViews chainViews;
    private final LoadBoard load;

    public NodeEntries(Targets targets, ChainViews chainViews, LoadBoard load) {
        this.targets = targets;
        this.chainViews = chainViews;
        this.load = load;
    }

    public List<NodeEntry> of(NodeService.View view) {
        return view.nodes().stream().map(n -> of(n, view.states().get(n.id), view)).toList();
    }

    private NodeEntry of(Node node, NodeState s, NodeService.View view) {
        if (s == null) {
            s = NodeState.initial(node.id, node.createdAt);
        }
        NodeStateView.ReconcileInfo reconcile = s.command == null ? null
                : new NodeStateView.ReconcileInfo(s.intendedStatus.number(), s.pocIntendedStatus.name());
        Map<String, Object> epochModels = new LinkedHashMap<>();
        Map<String, Object> epochMlNodes = Map.of();
        Map<String, Boolean> preservedModels = new java.util.TreeMap<>();
        Optional<ChainView> chain = chainViews.current();
        if (chain.isPresent()) {
            // the chain's assignment: per model the epoch's model snapshot and this node's MLNodeInfo
            epochModels.putAll(chain.get().epochModels().getOrDefault(node.id, Map.of()));
            epochMlNodes = chain.get().epochMlNodes().getOrDefault(node.id, Map.of());
            chain.get().preservedNodes().getOrDefault(node.id, List.of()).forEach(m -> preservedModels.put(m, true));
        } else {
            String model = targets.modelOf(node);
            if (model != null && view.round() != null && view.round().models.containsKey(model)) {
                epochModels.put(model, Map.of("id", model));
            }
        }
        return new NodeEntry(NodeView.of(node), new NodeStateView(s.intendedStatus.name(), s.currentStatus.name(), reconcile,
                s.pocIntendedStatus.name(), s.pocCurrentStatus.name(), load.lockCount(node.id), s.failureReason, s.statusTimestamp,
                new NodeStateView.AdminState(node.enabled, node.adminEpoch), s.mlNodeVersion, s.pocValidationInference,
                epochModels, epochMlNodes, preservedModels, s.loadedModel, s.lastSeen));
    }
}
