package io.gonkanode.collector.chain;

import io.gonkanode.collector.db.Db;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** The epochs the collector has seen start, and how far each one's round has got. */
@ApplicationScoped
public class EpochStore {

    /** An epoch's row. */
    public record Epoch(long index, long pocStartBlockHeight, String blockHash, String announcedPhase,
                        Instant validationStartedAt, Instant weightsAt) {
    }

    private final Db db;

    public EpochStore(Db db) {
        this.db = db;
    }

    public Epoch ensure(long index, long pocStart, String blockHash) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into poc.epoch (epoch_index, poc_start_block_height, block_hash) values (?, ?, ?)
                    on conflict (epoch_index) do nothing""")) {
                ps.setLong(1, index);
                ps.setLong(2, pocStart);
                ps.setString(3, blockHash);
                ps.executeUpdate();
            }
            return find(c, index).orElseThrow();
        });
    }

    public Optional<Epoch> find(long index) {
        return db.tx(c -> find(c, index));
    }

    private static Optional<Epoch> find(java.sql.Connection c, long index) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select epoch_index, poc_start_block_height, block_hash, announced_phase, validation_started_at, weights_at
                from poc.epoch where epoch_index = ?""")) {
            ps.setLong(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Epoch(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6))));
            }
        }
    }

    public void announced(long index, String phase) {
        update("update poc.epoch set announced_phase = ?, announced_at = now() where epoch_index = ?", phase, index);
    }

    public void validationStarted(long index) {
        update("update poc.epoch set validation_started_at = now() where epoch_index = ? and validation_started_at is null", null, index);
    }

    public void weightsComputed(long index) {
        update("update poc.epoch set weights_at = now() where epoch_index = ?", null, index);
    }

    private void update(String sql, String text, long index) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (text != null) {
                    ps.setString(i++, text);
                }
                ps.setLong(i, index);
                return ps.executeUpdate();
            }
        });
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
