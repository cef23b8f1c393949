package io.gonkanode.api.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/** api-node's view of node-registry's {@code GET /internal/v1/nodes}: only what routing reads. */
@RegisterForReflection
public record RegistryNodes(List<Node> nodes) {

    /**
     * One node: whether it may take requests now and for which model ({@code served_model}), where its
     * inference API is, how many requests it takes at once; {@code models} are the ones it is registered for.
     */
    @RegisterForReflection
    public record Node(boolean routable, @JsonProperty("served_model") String servedModel, String id,
                       @JsonProperty("node_num") int nodeNum, String host,
                       @JsonProperty("inference_port") int inferencePort,
                       @JsonProperty("inference_segment") String inferenceSegment,
                       @JsonProperty("max_concurrent") Integer maxConcurrent, Map<String, Object> models) {
    }

    public List<Node> nodes() {
        return nodes == null ? List.of() : nodes;
    }
}
