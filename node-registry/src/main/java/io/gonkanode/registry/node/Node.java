package io.gonkanode.registry.node;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A registered ML node: the operator's configuration, its admin state and its stable node_num. */
@Entity
@Table(name = "node")
public class Node extends PanacheEntityBase {

    @Id
    @Column(name = "id", length = 128)
    public String id;

    @Column(name = "node_num", nullable = false, unique = true)
    public int nodeNum;

    @Column(name = "host", nullable = false, length = 253)
    public String host;

    @Column(name = "inference_segment", nullable = false)
    public String inferenceSegment;

    @Column(name = "inference_port", nullable = false)
    public int inferencePort;

    @Column(name = "poc_segment", nullable = false)
    public String pocSegment;

    @Column(name = "poc_port", nullable = false)
    public int pocPort;

    @Column(name = "max_concurrent", nullable = false)
    public int maxConcurrent;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "models", nullable = false)
    public Map<String, ModelArgs> models;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "hardware")
    public List<Hardware> hardware;

    @Column(name = "enabled", nullable = false)
    public boolean enabled;

    @Column(name = "admin_epoch", nullable = false)
    public long adminEpoch;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Optional<Node> byId(String id) {
        return findByIdOptional(id);
    }

    public static List<Node> allByNodeNum() {
        return list("order by nodeNum");
    }

    /** Copies the operator-controlled configuration; identity, node_num and admin state stay. */
    void apply(NodeSpec spec, Instant now) {
        host = spec.host();
        inferenceSegment = spec.inferenceSegment();
        inferencePort = (int) spec.inferencePort();
        pocSegment = spec.pocSegment();
        pocPort = (int) spec.pocPort();
        maxConcurrent = (int) spec.maxConcurrent();
        models = spec.models();
        hardware = spec.hardware();
        updatedAt = now;
    }
}
