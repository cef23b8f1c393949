package io.gonkanode.registry.internal;

import io.gonkanode.registry.manager.Targets;
import io.gonkanode.registry.node.Node;
import io.gonkanode.registry.node.NodeService;
import io.gonkanode.registry.node.NodeState;
import io.gonkanode.registry.node.NodeStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Maps stored nodes to the internal view, deciding which are routable. */
@ApplicationScoped
public class InternalViews {

    private final Targets targets;

    public InternalViews(Targets targets) {
        this.targets = targets;
    }

    public List<InternalNodeView> of(NodeService.View view) {
        return view.nodes().stream().map(n -> of(n, view.states().get(n.id), view)).toList();
    }

    private InternalNodeView of(Node n, NodeState s, NodeService.View view) {
        if (s == null) {
            s = NodeState.initial(n.id, n.createdAt);
        }
        boolean operational = targets.operational(n, view.round());
        // routable: enabled, operational in this epoch, observed serving inference and healthy, not held by a self-test
        boolean routable = n.enabled && operational && s.currentStatus == NodeStatus.INFERENCE && s.inferenceHealthy
                && !view.underTest().contains(n.id);
        return new InternalNodeView(n.id, n.nodeNum, n.host, n.inferencePort, n.inferenceSegment, n.pocPort,
                n.pocSegment, n.maxConcurrent, n.models, n.hardware, n.enabled, n.adminEpoch, operational, routable,
                targets.modelOf(n),
                new InternalNodeView.ObservedState(s.currentStatus.name(), s.pocCurrentStatus.name(), s.intendedStatus.name(),
                        s.pocIntendedStatus.name(), s.failureReason, s.statusTimestamp, s.mlNodeVersion, s.loadedModel,
                        s.inferenceHealthy));
    }
}
