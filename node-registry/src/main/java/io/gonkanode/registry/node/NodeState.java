package io.gonkanode.registry.node;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the node manager last observed of a node and what it wants the node to do. */
@Entity
@Table(name = "node_state")
public class NodeState extends PanacheEntityBase {

    @Id
    @Column(name = "node_id", length = 128)
    public String nodeId;

    @Enumerated(EnumType.STRING)
    @Column(name = "current_status", nullable = false, length = 16)
    public NodeStatus currentStatus = NodeStatus.UNKNOWN;

    @Enumerated(EnumType.STRING)
    @Column(name = "poc_current_status", nullable = false, length = 16)
    public PocStatus pocCurrentStatus = PocStatus.IDLE;

    @Enumerated(EnumType.STRING)
    @Column(name = "intended_status", nullable = false, length = 16)
    public NodeStatus intendedStatus = NodeStatus.UNKNOWN;

    @Enumerated(EnumType.STRING)
    @Column(name = "poc_intended_status", nullable = false, length = 16)
    public PocStatus pocIntendedStatus = PocStatus.IDLE;

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

    public static Map<String, NodeState> byNodeId(List<String> ids) {
        Map<String, NodeState> map = new HashMap<>();
        if (!ids.isEmpty()) {
            NodeState.<NodeState>list("nodeId in ?1", ids).forEach(s -> map.put(s.nodeId, s));
        }
        return map;
    }

    /**
     * What one poll says the row should now hold: statuses, intentions and the command in flight, and, when
     * the node answered, what it reported ({@code reachable} false: only the statuses count, and the node is
     * no longer healthy).
     */
    public record Update(NodeStatus current, PocStatus poc, String failureReason, NodeStatus intended,
                         PocStatus pocIntended, String command, boolean reachable, String version, String loadedModel,
                         boolean inferenceHealthy, boolean pocValidationInference, Instant at) {
    }

    /**
     * Whether writing {@code u} would change anything worth a write; {@code lastSeenResolution}: how old a
     * written last_seen may get before a poll that changed nothing else refreshes it.
     */
    public boolean differsFrom(Update u, Duration lastSeenResolution) {
        if (currentStatus != u.current() || pocCurrentStatus != u.poc() || !failureReason.equals(u.failureReason())
                || intendedStatus != u.intended() || pocIntendedStatus != u.pocIntended()
                || !Objects.equals(command, u.command())) {
            return true;
        }
        if (!u.reachable()) {
            return inferenceHealthy;
        }
        return !Objects.equals(u.version(), mlNodeVersion) || !Objects.equals(u.loadedModel(), loadedModel)
                || u.inferenceHealthy() != inferenceHealthy || u.pocValidationInference() != pocValidationInference
                || lastSeen == null || Duration.between(lastSeen, u.at()).compareTo(lastSeenResolution) > 0;
    }

    /** Writes {@code u}; returns the status before it when the status changed, else null. */
    public NodeStatus apply(Update u) {
        NodeStatus before = currentStatus;
        if (before != u.current()) {
            statusTimestamp = u.at();
        }
        currentStatus = u.current();
        pocCurrentStatus = u.poc();
        failureReason = u.failureReason();
        intendedStatus = u.intended();
        pocIntendedStatus = u.pocIntended();
        command = u.command();
        if (u.reachable()) {
            lastSeen = u.at();
            mlNodeVersion = u.version() == null ? "" : u.version();
            loadedModel = u.loadedModel();
            inferenceHealthy = u.inferenceHealthy();
            pocValidationInference = u.pocValidationInference();
        } else {
            inferenceHealthy = false;
        }
        return before == currentStatus ? null : before;
    }
}
