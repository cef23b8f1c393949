package io.gonkanode.collector.validation;

import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.BlockFollower;
import io.gonkanode.collector.db.Db;
import io.gonkanode.collector.tx.TxQueue;
import io.gonkanode.protocol.proto.inference.MsgSubmitPocValidationsV2;
import io.gonkanode.protocol.proto.inference.PoCValidationEntryV2;
import io.gonkanode.protocol.tx.TypeUrls;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This host's votes on other hosts' commitments go on chain in batches, as upstream's (writes spec §2.6): one
 * {@code MsgSubmitPocValidationsV2} per stage with every vote decided since the last, sent once ten are waiting, the
 * first has waited five seconds, or the window is about to close. A votes tx that failed or expired is replaced by
 * a new one with the same votes (the chain keeps the first vote per validator, so a repeat is harmless), a few times.
 */
@ApplicationScoped
public class Votes {

    static final int BATCH = 10;
    static final Duration WAIT = Duration.ofSeconds(5);
    static final int MAX_FAILED_TXS = 5;

    private final Db db;
    private final TxQueue queue;
    private final BlockFollower follower;
    private final Optional<Account> account;

    public Votes(Db db, TxQueue queue, BlockFollower follower, Optional<Account> account) {
        this.db = db;
        this.queue = queue;
        this.follower = follower;
        this.account = account;
    }

    /** Queues the round's decided votes when a batch is due. */
    void flush(HostValidations.Round round, long height) {
        long stage = round.stage();
        String prefix = "votes:" + stage + ":";
        TxQueue.Summary sent = queue.summary(prefix);
        long failed = sent.count("FAILED") + sent.count("EXPIRED");
        db.tx(c -> {
            if (failed > 0 && failed < MAX_FAILED_TXS) {
                try (PreparedStatement ps = c.prepareStatement("update poc.host_validation v set vote_purpose = null from poc.chain_tx t "
                        + "where t.purpose = v.vote_purpose and t.status in ('FAILED', 'EXPIRED') and v.stage_height = ?")) {
                    ps.setLong(1, stage);
                    ps.executeUpdate();
                }
            }
            List<PoCValidationEntryV2> entries = new ArrayList<>();
            Instant oldest = Instant.MAX;
            try (PreparedStatement ps = c.prepareStatement("select participant, model_id, vote, decided_at from poc.host_validation "
                    + "where stage_height = ? and vote is not null and vote_purpose is null order by participant, model_id")) {
                ps.setLong(1, stage);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(PoCValidationEntryV2.newBuilder().setParticipantAddress(rs.getString(1)).setModelId(rs.getString(2))
                                .setValidatedWeight(rs.getLong(3)).build());
                        Timestamp t = rs.getTimestamp(4);
                        oldest = t != null && t.toInstant().isBefore(oldest) ? t.toInstant() : oldest;
                    }
                }
            }
            boolean due = entries.size() >= BATCH || oldest.isBefore(Instant.now().minus(WAIT)) || height >= round.validationEnd() - 2;
            if (entries.isEmpty() || !due) {
                return null;
            }
            String purpose = prefix + (sent.counts().values().stream().mapToLong(Long::longValue).sum() + 1);
            try (PreparedStatement ps = c.prepareStatement("update poc.host_validation set vote_purpose = ? where stage_height = ? "
                    + "and vote is not null and vote_purpose is null")) {
                ps.setString(1, purpose);
                ps.setLong(2, stage);
                ps.executeUpdate();
            }
            MsgSubmitPocValidationsV2 msg = MsgSubmitPocValidationsV2.newBuilder().setCreator(account.get().address())
                    .setPocStageStartBlockHeight(stage).addAllValidations(entries).build();
            queue.enqueue(c, purpose, TypeUrls.SUBMIT_POC_VALIDATIONS_V2, msg,
                    Math.min(follower.latestHeight() + TxQueue.VALIDATION_DEADLINE_BLOCKS, round.validationEnd()));
            Log.infof("%s: %d vote(s): %s", purpose, entries.size(), entries.stream()
                    .map(e -> e.getParticipantAddress() + "=" + e.getValidatedWeight()).toList());
            return null;
        });
    }
}
