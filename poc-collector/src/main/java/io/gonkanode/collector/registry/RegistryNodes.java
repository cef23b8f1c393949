package io.gonkanode.collector.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * The collector's view of node-registry's {@code GET /internal/v1/nodes}: which node a {@code node_id} in a
 * batch is, and which nodes can validate (their management API, the model they serve, their state); and the SHA-256
 * of the callback token node-registry hands ML nodes in their callback URLs.
 */
@RegisterForReflection
public record RegistryNodes(List<Node> nodes, @JsonProperty("callback_token_sha256") String callbackTokenSha256) {

    /** One registered ML node, by the node_num its batches carry. */
    @RegisterForReflection
    public record Node(@JsonProperty("node_num") int nodeNum, String id, boolean enabled, State state,
                       @JsonProperty("served_model") String servedModel, String host,
                       @JsonProperty("poc_port") int pocPort, @JsonProperty("poc_segment") String pocSegment,
                       Map<String, Object> models, List<NodeInfo.Hardware> hardware) {

        /** What the registry last observed of it. */
        @RegisterForReflection
        public record State(String status, @JsonProperty("inference_healthy") boolean inferenceHealthy,
                            @JsonProperty("ml_node_version") String mlNodeVersion) {
        }

        NodeInfo info() {
            return new NodeInfo(id, nodeNum, host, pocPort, pocSegment == null ? "" : pocSegment, enabled, servedModel,
                    NodeStatus.of(state == null ? null : state.status()),
                    state != null && state.inferenceHealthy(), models == null ? List.of() : List.copyOf(models.keySet()),
                    hardware == null ? List.of() : hardware, state == null || state.mlNodeVersion() == null ? "" : state.mlNodeVersion());
        }
    }

    /** Each node as the collector keeps it; none when the registry sent no list. */
    public List<NodeInfo> infos() {
        return nodes == null ? List.of() : nodes.stream().map(Node::info).toList();
    }
}
