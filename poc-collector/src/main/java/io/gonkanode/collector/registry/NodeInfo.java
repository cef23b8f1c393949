package io.gonkanode.collector.registry;

/** What the collector needs to know of a registered ML node. */
public record NodeInfo(String id, int nodeNum, String host, int pocPort, String pocSegment, boolean enabled,
                       String servedModel, NodeStatus status, boolean inferenceHealthy) {

    /** Can answer a validation request for {@code model} now: enabled, serving it, vLLM healthy. */
    public boolean canValidate(String model) {
        return enabled && model.equals(servedModel) && inferenceHealthy
                && (status == NodeStatus.INFERENCE || status == NodeStatus.POC);
    }
}
