package io.gonkanode.collector.host;

import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.BlockFollower;
import io.gonkanode.collector.chain.ChainRpc;
import io.gonkanode.collector.chain.EpochMath;
import io.gonkanode.collector.chain.PocStages;
import io.gonkanode.collector.db.Db;
import io.gonkanode.collector.proto.QueryGetEpochGroupDataRequest;
import io.gonkanode.collector.proto.QueryGetEpochGroupDataResponse;
import io.gonkanode.collector.registry.NodeDirectory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PoC round as operators watch it, on {@code /q/metrics}, for the stage this host works on (the active one; the
 * series of the previous stage go when the next begins): artifacts per model and ML node, the largest count committed
 * and included, whether the commit window is open, this host's validations of other hosts by status, the votes its
 * commitments received (and who voted against), and its weight in the epoch in force. Read from the collector's own
 * tables every few seconds, not at each scrape; the weight from the chain's epoch group.
 */
@ApplicationScoped
public class PocMetrics {

    /** How often the host's weight is asked of the chain (it changes once per epoch). */
    static final long WEIGHT_EVERY_NANOS = 30_000_000_000L;

    private final Db db;
    private final BlockFollower follower;
    private final PocStages stages;
    private final NodeDirectory nodes;
    private final Optional<Account> account;

    private final AtomicLong stageHeight = new AtomicLong(-1);
    private final AtomicLong commitWindowOpen = new AtomicLong();
    private final AtomicLong weightEpoch = new AtomicLong(-1);
    private final AtomicLong weight = new AtomicLong(-1);
    private final MultiGauge artifacts;
    private final MultiGauge committed;
    private final MultiGauge included;
    private final MultiGauge validations;
    private final MultiGauge votesReceived;
    private final MultiGauge votesAgainst;
    private long weightAskedAt;

    public PocMetrics(Db db, BlockFollower follower, PocStages stages, NodeDirectory nodes, Optional<Account> account,
                      MeterRegistry metrics) {
        this.db = db;
        this.follower = follower;
        this.stages = stages;
        this.nodes = nodes;
        this.account = account;
        Gauge.builder("gonka.poc.stage.height", stageHeight, AtomicLong::get)
                .description("the PoC stage this host works on: its start height (-1 before the first)").register(metrics);
        Gauge.builder("gonka.poc.commit.window.open", commitWindowOpen, AtomicLong::get)
                .description("1 while the chain accepts this stage's commits (generation and exchange), else 0").register(metrics);
        Gauge.builder("gonka.host.weight", weight, AtomicLong::get)
                .description("this host's weight in the epoch group in force (0 when not in it, -1 before it is known)").register(metrics);
        Gauge.builder("gonka.host.weight.epoch", weightEpoch, AtomicLong::get)
                .description("the epoch whose weight gonka_host_weight shows").register(metrics);
        artifacts = MultiGauge.builder("gonka.poc.artifacts").description("artifacts stored for the stage, per model and ML node")
                .register(metrics);
        committed = MultiGauge.builder("gonka.poc.committed.artifacts")
                .description("the largest count this host committed for the stage, per model").register(metrics);
        included = MultiGauge.builder("gonka.poc.included.artifacts")
                .description("the largest committed count a block included for the stage, per model").register(metrics);
        validations = MultiGauge.builder("gonka.poc.validations")
                .description("this host's validations of other hosts' commitments for the stage, by status "
                        + "(pending, sent, valid, invalid, expired)").register(metrics);
        votesReceived = MultiGauge.builder("gonka.poc.votes.received")
                .description("votes other hosts gave this host's commitments for the stage, per model and vote (for, against)")
                .register(metrics);
        votesAgainst = MultiGauge.builder("gonka.poc.votes.against")
                .description("1 per validator that voted -1 on this host's commitment for the stage and model").register(metrics);
    }

    @Scheduled(every = "5s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        if (!follower.enabled() || follower.processed() < 0) {
            return;
        }
        try {
            long stage = stages.active();
            stageHeight.set(stage);
            long h = follower.processed();
            commitWindowOpen.set(stages.current().filter(s -> s.height() == stage && s.committing(h)).isPresent() ? 1 : 0);
            if (stage >= 0) {
                db.tx(c -> {
                    refreshStage(c, stage);
                    return null;
                });
            }
            refreshWeight(h);
        } catch (RuntimeException e) {
            Log.debugf("PoC metrics not refreshed: %s", e.getMessage());
        }
    }

    private void refreshStage(Connection c, long stage) throws SQLException {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        // registry ids by node_num, once per refresh (a large host has 1,000 nodes); "node-N" for one no longer listed
        java.util.Map<Integer, String> ids = new java.util.HashMap<>();
        nodes.all().forEach(n -> ids.put(n.nodeNum(), n.id()));
        query(c, "select m.model_id, a.node_num, count(*) from poc.artifact a join poc.model m on m.id = a.model "
                + "where a.stage_height = ? group by m.model_id, a.node_num", stage, rs -> rows.add(MultiGauge.Row.of(
                Tags.of("model", rs.getString(1), "node", ids.getOrDefault(rs.getInt(2), "node-" + rs.getInt(2))), rs.getLong(3))));
        artifacts.register(rows, true);

        List<MultiGauge.Row<?>> committedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> includedRows = new ArrayList<>();
        query(c, "select m.model_id, max(cm.count), coalesce(max(cm.count) filter (where t.status = 'INCLUDED'), 0) "
                + "from poc.commitment cm join poc.model m on m.id = cm.model left join poc.chain_tx t on t.purpose = cm.tx_purpose "
                + "where cm.stage_height = ? group by m.model_id", stage, rs -> {
                    committedRows.add(MultiGauge.Row.of(Tags.of("model", rs.getString(1)), rs.getLong(2)));
                    includedRows.add(MultiGauge.Row.of(Tags.of("model", rs.getString(1)), rs.getLong(3)));
                });
        committed.register(committedRows, true);
        included.register(includedRows, true);

        List<MultiGauge.Row<?>> validationRows = new ArrayList<>();
        long[] byStatus = new long[5];
        List<String> statuses = List.of("PENDING", "SENT", "VALID", "INVALID", "EXPIRED");
        query(c, "select status, count(*) from poc.host_validation where stage_height = ? group by status", stage, rs -> {
            int i = statuses.indexOf(rs.getString(1));
            if (i >= 0) {
                byStatus[i] = rs.getLong(2);
            }
        });
        for (int i = 0; i < statuses.size(); i++) {
            validationRows.add(MultiGauge.Row.of(Tags.of("status", statuses.get(i).toLowerCase(Locale.ROOT)), byStatus[i]));
        }
        validations.register(validationRows, true);

        List<MultiGauge.Row<?>> receivedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> againstRows = new ArrayList<>();
        query(c, "select model_id, count(*) filter (where weight >= 0), count(*) filter (where weight < 0) from poc.vote_received "
                + "where stage_height = ? group by model_id", stage, rs -> {
                    receivedRows.add(MultiGauge.Row.of(Tags.of("model", rs.getString(1), "vote", "for"), rs.getLong(2)));
                    receivedRows.add(MultiGauge.Row.of(Tags.of("model", rs.getString(1), "vote", "against"), rs.getLong(3)));
                });
        query(c, "select model_id, validator from poc.vote_received where stage_height = ? and weight < 0", stage,
                rs -> againstRows.add(MultiGauge.Row.of(Tags.of("model", rs.getString(1), "validator", rs.getString(2)), 1)));
        votesReceived.register(receivedRows, true);
        votesAgainst.register(againstRows, true);
    }

    /** This host's weight in the epoch group in force: asked again each new epoch, and every 30 s until it is found. */
    private void refreshWeight(long h) {
        Optional<EpochMath> math = follower.math();
        Optional<ChainRpc> rpc = follower.rpc();
        if (account.isEmpty() || math.isEmpty() || rpc.isEmpty()) {
            return;
        }
        long epoch = math.get().effectiveEpoch(h);
        long now = System.nanoTime();
        if (epoch == weightEpoch.get() && (weight.get() > 0 || now - weightAskedAt < WEIGHT_EVERY_NANOS)) {
            return;
        }
        weightAskedAt = now;
        if (epoch <= 0) {
            weightEpoch.set(epoch);
            weight.set(0);
            return;
        }
        try {
            var group = QueryGetEpochGroupDataResponse.parseFrom(rpc.get().query("/inference.inference.Query/EpochGroupData",
                    QueryGetEpochGroupDataRequest.newBuilder().setEpochIndex(epoch).build().toByteArray())).getEpochGroupData();
            String address = account.get().address();
            weight.set(group.getValidationWeightsList().stream().filter(w -> w.getMemberAddress().equals(address))
                    .mapToLong(w -> Math.max(0, w.getWeight())).sum());
            weightEpoch.set(epoch);
        } catch (IOException e) {
            Log.debugf("epoch group %d not read: %s", epoch, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, long stage, RowReader reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, stage);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }
}
