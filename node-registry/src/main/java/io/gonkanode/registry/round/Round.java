package io.gonkanode.registry.round;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;

/** The PoC round poc-collector last announced (a single row). */
@Entity
@Table(name = "round")
public class Round extends PanacheEntityBase {

    static final int SINGLETON = 1;

    @Id
    @Column(name = "id")
    public int id = SINGLETON;

    @Column(name = "epoch", nullable = false)
    public long epoch;

    @Enumerated(EnumType.STRING)
    @Column(name = "phase", nullable = false, length = 16)
    public RoundService.Phase phase;

    @Column(name = "poc_start_block_height", nullable = false)
    public long pocStartBlockHeight;

    @Column(name = "block_hash", nullable = false, length = 128)
    public String blockHash;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "models", nullable = false)
    public Map<String, PocModel> models;

    @Column(name = "poc_stronger_rng", nullable = false)
    public boolean pocStrongerRng;

    @Column(name = "mlnode_version", nullable = false, length = 64)
    public String mlnodeVersion = "";

    @Column(name = "node_count", nullable = false)
    public int nodeCount;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** PoC parameters of one model in this round, and its governance vLLM args when the chain gave them (null: none). */
    @io.quarkus.runtime.annotations.RegisterForReflection
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record PocModel(@com.fasterxml.jackson.annotation.JsonProperty("seq_len") int seqLen,
                           @com.fasterxml.jackson.annotation.JsonProperty("model_args") java.util.List<String> modelArgs) {
    }
}
