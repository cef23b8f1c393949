package io.gonkanode.collector.weight;

import io.gonkanode.collector.artifact.ModelKeys;
import io.gonkanode.collector.db.Db;
import io.gonkanode.collector.chain.EpochStore;
import io.gonkanode.collector.config.PocModels;
import io.gonkanode.collector.registry.NodeDirectory;
import io.gonkanode.collector.registry.NodeInfo;
import io.gonkanode.collector.validation.ValidationStatus;
import io.gonkanode.collector.validation.ValidationStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weights at the end of an epoch's round: per node and model, artifact count times the model's
 * weight_scale_factor (truncated), zero when validation found fraud or never completed; the host's weight
 * is their sum. Stored per epoch, computed once.
 */
@ApplicationScoped
public class WeightService {

    /** One node's weight in an epoch. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record NodeWeight(int nodeNum, String nodeId, String model, long artifactCount, long weight, ValidationStatus status,
                             String reason) {
    }

    /** An epoch's participants record. */
    public record Epoch(long index, long pocStartBlockHeight, long effectiveBlockHeight, long createdAtBlockHeight,
                        long hostWeight, Instant computedAt, List<NodeWeight> nodes) {
    }

    private final Db db;
    private final ValidationStore validations;
    private final ModelKeys modelKeys;
    private final PocModels models;
    private final NodeDirectory directory;
    private final io.gonkanode.collector.artifact.ArtifactStore artifacts;
    private final AtomicLong lastHostWeight = new AtomicLong();

    public WeightService(Db db, ValidationStore validations, ModelKeys modelKeys, PocModels models,
                         NodeDirectory directory, io.gonkanode.collector.artifact.ArtifactStore artifacts,
                         MeterRegistry metrics) {
        this.artifacts = artifacts;
        this.db = db;
        this.validations = validations;
        this.modelKeys = modelKeys;
        this.models = models;
        this.directory = directory;
        metrics.gauge("collector.host.weight", lastHostWeight);
    }

    public void compute(EpochStore.Epoch epoch, long effectiveHeight) {
        Map<Short, PocModels.Model> byKey = new HashMap<>();
        models.all().values().forEach(m -> byKey.put(modelKeys.of(m.id()), m));
        List<NodeWeight> out = new ArrayList<>();
        Map<String, Long> stored = new HashMap<>();
        for (Short key : byKey.keySet()) {
            artifacts.counts(epoch.pocStartBlockHeight(), key).forEach(c -> stored.put(key + ":" + c.nodeNum(), c.count()));
        }
        for (ValidationStore.Row row : validations.forEpoch(epoch.index())) {
            PocModels.Model model = byKey.get(row.model());
            String nodeId = directory.byNum(row.nodeNum()).map(NodeInfo::id).orElse("node_num " + row.nodeNum());
            String modelId = model == null ? "?" : model.id();
            // what is stored now is what the node earned; the window closed before validation began
            long count = stored.getOrDefault(row.model() + ":" + row.nodeNum(), row.artifactCount());
            switch (row.status()) {
                case PASSED -> out.add(new NodeWeight(row.nodeNum(), nodeId, modelId, count,
                        model == null ? 0 : (long) Math.floor(count * model.weightScaleFactor()), ValidationStatus.PASSED, null));
                case FRAUD -> out.add(new NodeWeight(row.nodeNum(), nodeId, modelId, count, 0, ValidationStatus.FRAUD, row.reason()));
                default -> {
                    String reason = "no validation result" + (row.reason() == null ? ": the validator did not answer in time"
                            : ": " + row.reason());
                    validations.close(row.id(), ValidationStatus.UNVALIDATED, reason);
                    out.add(new NodeWeight(row.nodeNum(), nodeId, modelId, count, 0, ValidationStatus.UNVALIDATED, reason));
                }
            }
        }
        long host = out.stream().mapToLong(NodeWeight::weight).sum();
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into poc.weight (epoch_index, node_num, node_id, model_id, artifact_count, weight, status, reason)
                    values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")) {
                for (NodeWeight w : out) {
                    ps.setLong(1, epoch.index());
                    ps.setInt(2, w.nodeNum());
                    ps.setString(3, w.nodeId());
                    ps.setString(4, w.model());
                    ps.setLong(5, w.artifactCount());
                    ps.setLong(6, w.weight());
                    ps.setString(7, w.status().name());
                    ps.setString(8, w.reason());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into poc.participants (epoch_index, poc_start_block_height, effective_block_height,
                                                  created_at_block_height, host_weight, computed_at)
                    values (?, ?, ?, ?, ?, now()) on conflict do nothing""")) {
                ps.setLong(1, epoch.index());
                ps.setLong(2, epoch.pocStartBlockHeight());
                ps.setLong(3, effectiveHeight);
                ps.setLong(4, effectiveHeight);
                ps.setLong(5, host);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("update poc.epoch set weights_at = now() where epoch_index = ?")) {
                ps.setLong(1, epoch.index());
                ps.executeUpdate();
            }
            return null;
        });
        lastHostWeight.set(host);
        Log.infof("epoch %d weights: host %d from %d (node, model) pair(s): %s", epoch.index(), host, out.size(), out);
    }

    public Optional<Epoch> find(long epochIndex) {
        return db.tx(c -> {
            Epoch found = null;
            try (PreparedStatement ps = c.prepareStatement("""
                    select poc_start_block_height, effective_block_height, created_at_block_height, host_weight, computed_at
                    from poc.participants where epoch_index = ?""")) {
                ps.setLong(1, epochIndex);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Timestamp at = rs.getTimestamp(5);
                    found = new Epoch(epochIndex, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            at.toInstant(), new ArrayList<>());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    select node_num, node_id, model_id, artifact_count, weight, status, reason from poc.weight
                    where epoch_index = ? order by node_num, model_id""")) {
                ps.setLong(1, epochIndex);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.nodes().add(new NodeWeight(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                rs.getLong(5), ValidationStatus.valueOf(rs.getString(6)), rs.getString(7)));
                    }
                }
            }
            return Optional.of(found);
        });
    }

    /** The latest epoch with computed weights, if any. */
    public Optional<Long> latestComputed() {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select max(epoch_index) from poc.participants");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.<Long>empty() : Optional.of(v);
            }
        });
    }

}
