package io.gonkanode.collector.proofs;

import io.gonkanode.collector.artifact.ModelKeys;
import io.gonkanode.collector.chain.PocStages;
import io.gonkanode.collector.commit.StageTrees;
import io.gonkanode.collector.db.Db;
import io.gonkanode.protocol.proofs.ProofStore;
import io.gonkanode.protocol.proofs.TreeSnapshot;
import io.gonkanode.protocol.smst.Smst;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the proofs API serves from (writes spec §4.4, §5.2 steps 7-8): the active stage's artifacts in PostgreSQL. A
 * snapshot is the tree of the first N artifacts in arrival order, for a count this host committed (or the live tip);
 * it is built once from the stored rows, on the first request that needs it, and the last few are kept: validators
 * ask for the final count (and the early one) in bursts.
 */
@ApplicationScoped
public class StoredProofs implements ProofStore {

    static final int KEPT_SNAPSHOTS = 3;

    private record Key(long stage, short model, long count) {
    }

    private final Db db;
    private final PocStages stages;
    private final StageTrees trees;
    private final ModelKeys models;
    private final Map<Key, CompletableFuture<Snapshot>> snapshots = new LinkedHashMap<>();

    public StoredProofs(Db db, PocStages stages, StageTrees trees, ModelKeys models) {
        this.db = db;
        this.stages = stages;
        this.trees = trees;
        this.models = models;
    }

    @Override
    public long activeStage() {
        return stages.active();
    }

    @Override
    public Optional<State> latest(long stage, String modelId) {
        Optional<Short> model = models.find(modelId);
        if (model.isEmpty()) {
            return Optional.empty();
        }
        // the tree kept current for commits: no snapshot is built for a count nobody may ask proofs of yet
        StageTrees.Tip tip = trees.tip(stage, model.get());
        return tip.count() == 0 ? Optional.empty() : Optional.of(new State(tip.count(), tip.root()));
    }

    @Override
    public Optional<Snapshot> at(long stage, String modelId, long count) {
        Optional<Short> model = models.find(modelId);
        if (count <= 0 || model.isEmpty() || !(committed(stage, model.get(), count) || trees.tip(stage, model.get()).count() == count)) {
            return Optional.empty();
        }
        CompletableFuture<Snapshot> mine = new CompletableFuture<>();
        CompletableFuture<Snapshot> shared;
        synchronized (snapshots) {
            shared = snapshots.putIfAbsent(new Key(stage, model.get(), count), mine);
            if (shared == null) {
                while (snapshots.size() > KEPT_SNAPSHOTS) {
                    snapshots.remove(snapshots.keySet().iterator().next());
                }
            }
        }
        if (shared != null) {
            return Optional.of(shared.join());
        }
        try {
            mine.complete(build(stage, model.get(), count));
        } catch (RuntimeException e) {
            synchronized (snapshots) {
                snapshots.remove(new Key(stage, model.get(), count));
            }
            mine.completeExceptionally(e);
            throw e;
        }
        return Optional.of(mine.join());
    }

    private boolean committed(long stage, short model, long count) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select 1 from poc.commitment where stage_height = ? and model = ? and count = ?")) {
                ps.setLong(1, stage);
                ps.setShort(2, model);
                ps.setLong(3, count);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The tree of the first {@code count} stored artifacts. */
    private Snapshot build(long stage, short model, long count) {
        List<Smst.Leaf> leaves = db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select nonce, vector from poc.artifact where stage_height = ? and model = ? "
                    + "and seq < ? order by seq")) {
                ps.setLong(1, stage);
                ps.setShort(2, model);
                ps.setLong(3, count);
                ps.setFetchSize(10_000);
                List<Smst.Leaf> out = new ArrayList<>((int) Math.min(count, 1 << 20));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Smst.Leaf((int) rs.getLong(1), rs.getBytes(2)));
                    }
                }
                return out;
            }
        });
        if (leaves.size() != count) {
            throw new IllegalStateException("stage " + stage + ": " + leaves.size() + " artifacts stored under count " + count);
        }
        return new TreeSnapshot(Smst.of(leaves));
    }
}
