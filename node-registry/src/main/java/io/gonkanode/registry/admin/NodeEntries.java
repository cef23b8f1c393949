package io.gonkanode.registry.admin;

import io.gonkanode.registry.node.Node;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/** Builds the {@code {"node","state"}} entries of the Admin API from what is stored. */
@ApplicationScoped
public class NodeEntries {

    public NodeEntry of(Node node) {
        return new NodeEntry(NodeView.of(node), stateOf(node));
    }

    public List<NodeEntry> of(List<Node> nodes) {
        return nodes.stream().map(this::of).toList();
    }

    NodeStateView stateOf(Node node) {
        return new NodeStateView("UNKNOWN", "UNKNOWN", null, "IDLE", "IDLE", 0, "", node.createdAt,
                new NodeStateView.AdminState(node.enabled, node.adminEpoch), "", false, Map.of(), Map.of(), null,
                null);
    }
}
