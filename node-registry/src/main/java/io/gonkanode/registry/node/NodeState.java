package io.gonkanode.registry.node;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** What the node manager last observed of a node and what it wants the node to do. */
@Entity
@Table(name = "node_state")
public class NodeState extends PanacheEntityBase {

    @Id
    @Column(name = "node_id", length = 128)
    public String nodeId;

    @Column(name = "current_status", nullable = false, length = 16)
    public String currentStatus = "UNKNOWN";

    @Column(name = "poc_current_status", nullable = false, length = 16)
    public String pocCurrentStatus = "IDLE";

    @Column(name = "intended_status", nullable = false, length = 16)
    public String intendedStatus = "UNKNOWN";

    @Column(name = "poc_intended_status", nullable = false, length = 16)
    public String pocIntendedStatus = "IDLE";

    @Column(name = "failure_reason", nullable = false)
    public String failureReason = "";

    @Column(name = "status_timestamp", nullable = false)
    public Instant statusTimestamp;

    @Column(name = "ml_node_version", nullable = false, length = 64)
    public String mlNodeVersion = "";

    @Column(name = "loaded_model")
    public String loadedModel;

    @Column(name = "inference_healthy", nullable = false)
    public boolean inferenceHealthy;

    @Column(name = "poc_validation_inference", nullable = false)
    public boolean pocValidationInference;

    @Column(name = "last_seen")
    public Instant lastSeen;

    @Column(name = "command", length = 32)
    public String command;

    @Column(name = "last_command", length = 32)
    public String lastCommand;

    @Column(name = "last_command_at")
    public Instant lastCommandAt;

    @Column(name = "last_command_result")
    public String lastCommandResult;

    public static NodeState initial(String nodeId, Instant at) {
        NodeState s = new NodeState();
        s.nodeId = nodeId;
        s.statusTimestamp = at;
        return s;
    }

    public static java.util.Map<String, NodeState> byNodeId(List<String> ids) {
        java.util.Map<String, NodeState> map = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            NodeState.<NodeState>list("nodeId in ?1", ids).forEach(s -> map.put(s.nodeId, s));
        }
        return map;
    }
}
