package io.gonkanode.collector.registry;

import java.util.List;

/** What the collector needs to know of a registered ML node (the chain's hardware record too: models, hardware, version). */
public record NodeInfo(String id, int nodeNum, String host, int pocPort, String pocSegment, boolean enabled,
                       String servedModel, NodeStatus status, boolean inferenceHealthy, List<String> models, List<Hardware> hardware,
                       String version) {

    /** A kind of accelerator and how many ({@code "NVIDIA H100 80GB HBM3 | 80GB"}, 8). */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Hardware(String type, long count) {
    }

    /** Can answer a validation request for {@code model} now: enabled, serving it, vLLM healthy. */
    public boolean canValidate(String model) {
        return enabled && model.equals(servedModel) && inferenceHealthy
                && (status == NodeStatus.INFERENCE || status == NodeStatus.POC);
    }
}
