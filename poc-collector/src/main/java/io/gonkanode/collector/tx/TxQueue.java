package io.gonkanode.collector.tx;

import com.google.protobuf.Message;
import io.gonkanode.collector.db.Db;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable queue of this host's transactions: a message is written to PostgreSQL, in the transaction of the
 * work that decided to send it, before anything is signed or broadcast ({@link TxSender} does that). A purpose
 * is queued once, so a hook that runs again after a crash does not send twice.
 */
@ApplicationScoped
public class TxQueue {

    /** Blocks a tx stays worth sending (upstream's default deadline). */
    public static final long DEADLINE_BLOCKS = 30;
    /** Validation votes are accepted for the whole validation window, so they may wait longer. */
    public static final long VALIDATION_DEADLINE_BLOCKS = 240;

    /** A queued tx as the dashboard shows it. */
    public record Entry(long id, String purpose, String type, String status, int attempts, String txHash, Long height, Long code,
                        String log, Instant createdAt, Instant updatedAt) {
    }

    private final Db db;

    public TxQueue(Db db) {
        this.db = db;
    }

    /** Queues {@code message} inside the caller's transaction; false when {@code purpose} was queued before. */
    public boolean enqueue(Connection c, String purpose, String typeUrl, Message message, long deadlineHeight) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into poc.chain_tx (purpose, type_url, message, deadline_height) "
                + "values (?, ?, ?, ?) on conflict (purpose) do nothing")) {
            ps.setString(1, purpose);
            ps.setString(2, typeUrl);
            ps.setBytes(3, message.toByteArray());
            ps.setLong(4, deadlineHeight);
            return ps.executeUpdate() == 1;
        }
    }

    public boolean enqueue(String purpose, String typeUrl, Message message, long deadlineHeight) {
        return db.tx(c -> enqueue(c, purpose, typeUrl, message, deadlineHeight));
    }

    /** The latest {@code limit} txs, newest first. */
    public List<Entry> recent(int limit) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select id, purpose, type_url, status, attempts, tx_hash, height, code, log, "
                    + "created_at, updated_at from poc.chain_tx order by id desc limit ?")) {
                ps.setInt(1, limit);
                List<Entry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getLong(1), rs.getString(2), shortType(rs.getString(3)), rs.getString(4), rs.getInt(5),
                                rs.getString(6), (Long) rs.getObject(7), (Long) rs.getObject(8), rs.getString(9), instant(rs.getTimestamp(10)),
                                instant(rs.getTimestamp(11))));
                    }
                }
                return out;
            }
        });
    }

    /** How many txs are in each status. */
    public Map<String, Long> counts() {
        return db.tx(c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String s : List.of("QUEUED", "SENT", "INCLUDED", "FAILED", "EXPIRED")) {
                out.put(s, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement("select status, count(*) from poc.chain_tx group by status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    /** The txs of one kind of purpose ("commit:1234560:"): how many in each status and when the latest changed. */
    public record Summary(Map<String, Long> counts, Instant lastUpdate) {
        public long count(String status) {
            return counts.getOrDefault(status, 0L);
        }

        /** Queued or sent: not settled yet. */
        public long open() {
            return count("QUEUED") + count("SENT");
        }
    }

    public Summary summary(String purposePrefix) {
        return db.tx(c -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            Instant last = Instant.EPOCH;
            try (PreparedStatement ps = c.prepareStatement("select status, count(*), max(updated_at) from poc.chain_tx "
                    + "where purpose like ? group by status")) {
                ps.setString(1, purposePrefix.replace("%", "\\%").replace("_", "\\_") + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getLong(2));
                        Instant t = rs.getTimestamp(3).toInstant();
                        last = t.isAfter(last) ? t : last;
                    }
                }
            }
            return new Summary(counts, last);
        });
    }

    /** {@code MsgSubmitSeed} of {@code /inference.inference.MsgSubmitSeed}. */
    static String shortType(String typeUrl) {
        return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
