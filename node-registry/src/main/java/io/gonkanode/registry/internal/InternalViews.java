package io.gonkanode.registry.internal;

import io.gonkanode.registry.node.Node;
import jakarta.enterprise.context.ApplicationScoped;

/** Maps a stored node to its internal view. */
@ApplicationScoped
public class InternalViews {

    public InternalNodeView of(Node n) {
        return new InternalNodeView(n.id, n.nodeNum, n.host, n.inferencePort, n.inferenceSegment, n.pocPort,
                n.pocSegment, n.maxConcurrent, n.models, n.hardware, n.enabled, n.adminEpoch,
                new InternalNodeView.ObservedState("UNKNOWN", "IDLE", "UNKNOWN", "IDLE", "", n.createdAt, "", null,
                        false));
    }
}
