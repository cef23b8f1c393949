package io.gonkanode.registry.admin;

import io.gonkanode.registry.node.Hardware;
import io.gonkanode.registry.node.ModelArgs;
import io.gonkanode.registry.node.Node;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/** A node in upstream's key order ({@code InferenceNodeConfig}), plus its {@code node_num}. */
@RegisterForReflection
public record NodeView(
        String host,
        String inferenceSegment,
        int inferencePort,
        String pocSegment,
        int pocPort,
        Map<String, ModelArgs> models,
        String id,
        int maxConcurrent,
        int nodeNum,
        List<Hardware> hardware) {

    public static NodeView of(Node n) {
        return new NodeView(n.host, n.inferenceSegment, n.inferencePort, n.pocSegment, n.pocPort, n.models, n.id,
                n.maxConcurrent, n.nodeNum, n.hardware);
    }
}
