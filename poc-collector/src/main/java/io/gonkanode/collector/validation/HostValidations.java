package io.gonkanode.collector.validation;

import io.gonkanode.collector.db.Db;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The rounds of validating every host's commitment and their (participant, model) work items, in PostgreSQL. */
@ApplicationScoped
public class HostValidations {

    /** A round: its stage, seeds and end. */
    public record Round(long stage, boolean confirmation, String seedHash, String samplingHash, long validationEnd, boolean listed) {
    }

    /** One participant's model commitment to validate, and where its validation is ({@code attempts}: times its proofs API was asked). */
    public record Item(long stage, String participant, String modelId, long count, byte[] root, String pubKeyHex, String inferenceUrl,
                       String status, int attempts, String reason, Instant sentAt, Long vote, String votePurpose) {
    }

    /** A commitment as the chain lists it, with the host's address to ask. */
    public record Commit(String participant, String modelId, long count, byte[] root, String pubKeyHex, String inferenceUrl) {
    }

    private final Db db;

    public HostValidations(Db db) {
        this.db = db;
    }

    void begin(Connection c, long stage, boolean confirmation, String seedHash, String samplingHash, long validationEnd) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into poc.validation_round (stage_height, confirmation, seed_hash, sampling_hash, "
                + "validation_end) values (?, ?, ?, ?, ?) on conflict (stage_height) do nothing")) {
            ps.setLong(1, stage);
            ps.setBoolean(2, confirmation);
            ps.setString(3, seedHash);
            ps.setString(4, samplingHash);
            ps.setLong(5, validationEnd);
            ps.executeUpdate();
        }
    }

    /** The latest {@code limit} rounds, newest first. */
    public List<Round> latest(int limit) {
        return rounds("order by stage_height desc limit ?", limit);
    }

    /** Rounds whose validation has not ended at {@code height}. */
    public List<Round> open(long height) {
        return rounds("where validation_end >= ? order by stage_height", height);
    }

    private List<Round> rounds(String clause, Object value) {
        return db.tx(c -> {
            List<Round> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select stage_height, confirmation, seed_hash, sampling_hash, validation_end, "
                    + "listed_at is not null from poc.validation_round " + clause)) {
                ps.setObject(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Round(rs.getLong(1), rs.getBoolean(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getBoolean(6)));
                    }
                }
            }
            return out;
        });
    }

    /** The round's work list, once: one item per commitment. */
    public void list(long stage, String seedHash, List<Commit> commits) {
        db.tx(c -> {
            for (Commit k : commits) {
                try (PreparedStatement ps = c.prepareStatement("insert into poc.host_validation (stage_height, participant, model_id, count, root, "
                        + "pub_key_hex, inference_url) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
                    ps.setLong(1, stage);
                    ps.setString(2, k.participant());
                    ps.setString(3, k.modelId());
                    ps.setLong(4, k.count());
                    ps.setBytes(5, k.root());
                    ps.setString(6, k.pubKeyHex());
                    ps.setString(7, k.inferenceUrl());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "update poc.validation_round set listed_at = now(), seed_hash = ? where stage_height = ?")) {
                ps.setString(1, seedHash);
                ps.setLong(2, stage);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Items to work on now: pending ones due, and samples an ML node kept longer than {@code timeout}. */
    public List<Item> due(long stage, java.time.Duration timeout) {
        return items("where stage_height = ? and ((status = 'PENDING' and next_at <= now()) or (status = 'SENT' and sent_at < ?))",
                stage, Timestamp.from(Instant.now().minus(timeout)));
    }

    public List<Item> all(long stage) {
        return items("where stage_height = ?", stage);
    }

    private List<Item> items(String where, Object... values) {
        return db.tx(c -> {
            List<Item> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select stage_height, participant, model_id, count, root, pub_key_hex, inference_url, "
                    + "status, attempts, reason, sent_at, vote, vote_purpose from poc.host_validation " + where + " order by participant, model_id")) {
                for (int i = 0; i < values.length; i++) {
                    ps.setObject(i + 1, values[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp sent = rs.getTimestamp(11);
                        out.add(new Item(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getBytes(5), rs.getString(6),
                                rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10), sent == null ? null : sent.toInstant(),
                                (Long) rs.getObject(12), rs.getString(13)));
                    }
                }
            }
            return out;
        });
    }

    /** Proofs could not be had for a passing reason: again at {@code next}. */
    public void retry(Item i, String reason, Instant next) {
        update(i, "status = 'PENDING', attempts = attempts + 1, reason = ?, next_at = ?, request_id = null", "true", reason,
                Timestamp.from(next));
    }

    /** The proven sample is with an ML node of this host. */
    public void sent(Item i, int node, String requestId) {
        update(i, "status = 'SENT', attempts = attempts + 1, validator_node = ?, request_id = ?, sent_at = now(), reason = null", "true",
                node, requestId);
    }

    /**
     * The verdict: VALID with n_total as the vote, or INVALID with −1. Only an open item takes one. {@code asked}: the
     * verdict comes from asking the host's proofs API (one more attempt), not from an ML node's recomputation.
     */
    public boolean decide(Item i, boolean valid, long nTotal, String reason, boolean asked) {
        return update(i, "status = ?, n_total = ?, vote = ?, reason = ?, decided_at = now(), attempts = attempts + ?",
                "status in ('PENDING', 'SENT')", valid ? "VALID" : "INVALID", nTotal, valid ? nTotal : -1L, reason, asked ? 1 : 0) > 0;
    }

    /** The open item an ML node's verdict belongs to, by the request id it was given. */
    public Optional<Item> byRequest(String requestId) {
        return items("where request_id = ? and status = 'SENT'", requestId).stream().findFirst();
    }

    /** Items still open when their round's window had closed by {@code height}: no vote. */
    public void expireEnded(long height) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("update poc.host_validation v set status = 'EXPIRED', reason = "
                    + "trim(coalesce(v.reason, '') || ' (validation window closed)'), updated_at = now() from poc.validation_round r "
                    + "where r.stage_height = v.stage_height and r.validation_end < ? and v.status in ('PENDING', 'SENT')")) {
                ps.setLong(1, height);
                return ps.executeUpdate();
            }
        });
    }

    /** {@code update ... set <set> where <the item> and <condition>}. */
    private int update(Item i, String set, String condition, Object... values) {
        String sql = "update poc.host_validation set " + set + ", updated_at = now() where stage_height = ? and participant = ? "
                + "and model_id = ? and " + condition;
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int n = 1;
                for (Object v : values) {
                    ps.setObject(n++, v);
                }
                ps.setLong(n++, i.stage());
                ps.setString(n++, i.participant());
                ps.setString(n, i.modelId());
                return ps.executeUpdate();
            }
        });
    }
}
