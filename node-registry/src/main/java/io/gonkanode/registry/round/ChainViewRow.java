package io.gonkanode.registry.round;

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

/** The stored {@link ChainView} (a single row). */
@Entity
@Table(name = "chain_view")
public class ChainViewRow extends PanacheEntityBase {

    static final int SINGLETON = 1;

    @Id
    @Column(name = "id")
    public int id = SINGLETON;

    @Column(name = "epoch", nullable = false)
    public long epoch;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "governance_models", nullable = false)
    public Map<String, List<String>> governanceModels;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "epoch_models", nullable = false)
    public Map<String, Map<String, Object>> epochModels;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "epoch_ml_nodes", nullable = false)
    public Map<String, Map<String, Object>> epochMlNodes;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "preserved_nodes", nullable = false)
    public Map<String, List<String>> preservedNodes;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    ChainView view() {
        return new ChainView(epoch, governanceModels, epochModels, epochMlNodes, preservedNodes, updatedAt);
    }
}
