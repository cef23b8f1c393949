package io.gonkanode.collector.commit;

import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.BlockFollower;
import io.gonkanode.collector.chain.PocStages;
import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.collector.db.Db;
import io.gonkanode.collector.registry.NodeDirectory;
import io.gonkanode.collector.registry.NodeInfo;
import io.gonkanode.collector.tx.TxQueue;
import io.gonkanode.collector.tx.TxSender;
import io.gonkanode.protocol.proto.inference.MLNodeDistributionEntry;
import io.gonkanode.protocol.proto.inference.MLNodeWeight;
import io.gonkanode.protocol.proto.inference.MsgMLNodeWeightDistribution;
import io.gonkanode.protocol.proto.inference.MsgPoCV2StoreCommit;
import io.gonkanode.protocol.proto.inference.PoCV2CommitEntry;
import io.gonkanode.protocol.tx.TypeUrls;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import com.google.protobuf.ByteString;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * This host's PoC v2 commitments (writes spec §4.7-4.8). While the stage's commit window is open, every
 * {@code gonka.poc.commit-interval}, and once more when three blocks of the window are left, the (count,
 * root) of each model whose store grew goes on chain in one
 * {@code MsgPoCV2StoreCommit} (entries sorted by model id), and is kept in {@code poc.commitment} so that proofs can
 * be served for it. Once the window has closed and every commit is settled, one {@code MsgMLNodeWeightDistribution}
 * splits each model's included count over the ML nodes that produced those artifacts — exactly, since every artifact
 * row knows its node — under the registry's node ids.
 */
@ApplicationScoped
public class CommitWorker {

    static final int MAX_DISTRIBUTION_TRIES = 5;
    /** The closing commit goes out when this many blocks of the commit window are left. */
    static final int CLOSING_BLOCKS = 3;

    private final Db db;
    private final BlockFollower follower;
    private final PocStages stages;
    private final StageTrees trees;
    private final TxQueue queue;
    private final TxSender sender;
    private final NodeDirectory nodes;
    private final Optional<Account> account;

    /** A model with artifacts at the stage. */
    record StageModel(short key, String id) {
    }

    private final long intervalNanos;
    /** When the last commit was queued (System.nanoTime), and the stage whose closing commit went out. */
    private long lastCommit;
    private long closedStage = -1;

    public CommitWorker(CollectorConfig config, Db db, BlockFollower follower, PocStages stages,
                        StageTrees trees, TxQueue queue, TxSender sender, NodeDirectory nodes,
                        Optional<Account> account) {
        this.db = db;
        this.follower = follower;
        this.stages = stages;
        this.trees = trees;
        this.queue = queue;
        this.sender = sender;
        this.nodes = nodes;
        this.account = account;
        this.intervalNanos = config.poc().commitInterval().toNanos();
        this.lastCommit = System.nanoTime() - intervalNanos;
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!sender.enabled() || follower.paused().isPresent()) {
            return;
        }
        Optional<PocStages.Stage> current = stages.current();
        if (current.isEmpty()) {
            return;
        }
        PocStages.Stage stage = current.get();
        trees.keepOnly(Set.of(stage.height()));
        long h = follower.processed();
        if (stage.committing(h)) {
            // every interval, and once more CLOSING_BLOCKS before the window's last block (time for the follower's lag
            // and the send, so that commit lands inside), so what came in since the last beat still counts: upstream's
            // worker, on its 5 s beat only, loses it
            boolean closing = h >= stage.commitUntil() - CLOSING_BLOCKS && closedStage != stage.height();
            long now = System.nanoTime();
            if (closing || now - lastCommit >= intervalNanos) {
                if (closing) {
                    closedStage = stage.height();
                }
                if (commit(stage)) {
                    lastCommit = now;
                }
            }
        } else if (stage.distributing(h)) {
            distribute(stage);
        }
    }

    /** Queues one commit of every model whose store grew past its last commit still standing (not failed or expired); false: none grew. */
    boolean commit(PocStages.Stage stage) {
        List<PoCV2CommitEntry> entries = new ArrayList<>();
        List<short[]> keys = new ArrayList<>();
        for (StageModel m : models(stage.height())) {
            StageTrees.Tip tip = trees.tip(stage.height(), m.key());
            if (tip.count() > 0 && tip.count() > standing(stage.height(), m.key())) {
                entries.add(PoCV2CommitEntry.newBuilder().setModelId(m.id()).setCount((int) tip.count())
                        .setRootHash(ByteString.copyFrom(tip.root())).build());
                keys.add(new short[] {m.key()});
            }
        }
        if (entries.isEmpty()) {
            return false;
        }
        MsgPoCV2StoreCommit msg = MsgPoCV2StoreCommit.newBuilder().setCreator(account.get().address())
                .setPocStageStartBlockHeight(stage.height()).addAllEntries(entries).build();
        long deadline = Math.min(follower.latestHeight() + TxQueue.DEADLINE_BLOCKS, stage.commitUntil());
        String purpose = db.tx(c -> {
            String p = "commit:" + stage.height() + ":" + (count(c, "select count(distinct tx_purpose) from poc.commitment where stage_height = ?",
                    stage.height()) + 1);
            for (int i = 0; i < entries.size(); i++) {
                try (PreparedStatement ps = c.prepareStatement("insert into poc.commitment (stage_height, model, count, root, tx_purpose) "
                        + "values (?, ?, ?, ?, ?) on conflict (stage_height, model, count) do update set tx_purpose = excluded.tx_purpose")) {
                    ps.setLong(1, stage.height());
                    ps.setShort(2, keys.get(i)[0]);
                    ps.setLong(3, entries.get(i).getCount());
                    ps.setBytes(4, entries.get(i).getRootHash().toByteArray());
                    ps.setString(5, p);
                    ps.executeUpdate();
                }
            }
            queue.enqueue(c, p, TypeUrls.POC_V2_STORE_COMMIT, msg, deadline);
            return p;
        });
        Log.infof("%s: %s", purpose, entries.stream().map(e -> e.getModelId() + " " + e.getCount()).toList());
        return true;
    }

    /**
     * Queues the weight distribution once the stage's commits are settled: per model, its last included count split
     * by the nodes of the artifacts under it. A failed distribution is tried again, a few times, 30 s apart.
     */
    void distribute(PocStages.Stage stage) {
        long h = stage.height();
        TxQueue.Summary commits = queue.summary("commit:" + h + ":");
        TxQueue.Summary distributions = queue.summary("distribution:" + h + ":");
        long failed = distributions.count("FAILED") + distributions.count("EXPIRED");
        if (commits.open() > 0 || distributions.open() > 0 || distributions.count("INCLUDED") > 0 || failed >= MAX_DISTRIBUTION_TRIES
                || (failed > 0 && distributions.lastUpdate().isAfter(java.time.Instant.now().minusSeconds(30)))) {
            return;
        }
        List<MLNodeDistributionEntry> entries = db.tx(c -> {
            List<MLNodeDistributionEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select cm.model, m.model_id, max(cm.count) from poc.commitment cm "
                    + "join poc.chain_tx t on t.purpose = cm.tx_purpose join poc.model m on m.id = cm.model "
                    + "where cm.stage_height = ? and t.status = 'INCLUDED' group by cm.model, m.model_id order by m.model_id")) {
                ps.setLong(1, h);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(MLNodeDistributionEntry.newBuilder().setModelId(rs.getString(2))
                                .addAllWeights(weights(c, h, rs.getShort(1), rs.getLong(3))).build());
                    }
                }
            }
            return out;
        });
        if (entries.isEmpty()) {
            return;
        }
        MsgMLNodeWeightDistribution msg = MsgMLNodeWeightDistribution.newBuilder().setCreator(account.get().address())
                .setPocStageStartBlockHeight(h).addAllEntries(entries).build();
        String purpose = "distribution:" + h + ":" + (failed + 1);
        queue.enqueue(purpose, TypeUrls.ML_NODE_WEIGHT_DISTRIBUTION, msg,
                Math.min(follower.latestHeight() + TxQueue.DEADLINE_BLOCKS, stage.distributeUntil()));
        Log.infof("%s: %s", purpose, entries.stream().map(e -> e.getModelId() + " " + e.getWeightsList().stream()
                .map(w -> w.getNodeId() + "=" + w.getWeight()).toList()).toList());
    }

    /** The artifacts of each node among the first {@code count} of the stage and model (their sum is {@code count}). */
    private List<MLNodeWeight> weights(Connection c, long stage, short model, long count) throws SQLException {
        List<MLNodeWeight> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select node_num, count(*) from poc.artifact where stage_height = ? and model = ? "
                + "and seq < ? group by node_num order by node_num")) {
            ps.setLong(1, stage);
            ps.setShort(2, model);
            ps.setLong(3, count);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int num = rs.getInt(1);
                    String id = nodes.byNum(num).map(NodeInfo::id).orElse(Integer.toString(num));
                    out.add(MLNodeWeight.newBuilder().setNodeId(id).setWeight((int) rs.getLong(2)).build());
                }
            }
        }
        return out;
    }

    private List<StageModel> models(long stage) {
        return db.tx(c -> {
            List<StageModel> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select c.model, m.model_id from poc.artifact_counter c join poc.model m "
                    + "on m.id = c.model where c.stage_height = ? and c.next_seq > 0 order by m.model_id")) {
                ps.setLong(1, stage);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StageModel(rs.getShort(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** The largest count committed for the stage and model whose tx has not failed or expired (0 for none). */
    private long standing(long stage, short model) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select coalesce(max(cm.count), 0) from poc.commitment cm join poc.chain_tx t "
                    + "on t.purpose = cm.tx_purpose where cm.stage_height = ? and cm.model = ? and t.status not in ('FAILED', 'EXPIRED')")) {
                ps.setLong(1, stage);
                ps.setShort(2, model);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static long count(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
