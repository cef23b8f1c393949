package io.gonkanode.registry.node;

import java.util.List;
import java.util.Map;

/** A node definition as the operator sent it, already type-checked; {@link NodeRules} validates it. */
public record NodeSpec(
        String id,
        String host,
        String inferenceSegment,
        long inferencePort,
        String pocSegment,
        long pocPort,
        long maxConcurrent,
        Map<String, ModelArgs> models,
        List<Hardware> hardware) {
}
