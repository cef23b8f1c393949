package io.gonkanode.collector.chain;

import io.gonkanode.collector.db.Db;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** The epochs the collector has seen start, with the round phase node-registry last acknowledged for each. */
@ApplicationScoped
public class EpochStore {

    /** An epoch's row. */
    public record Epoch(long index, long pocStartBlockHeight, String blockHash, String announcedPhase) {
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
                select epoch_index, poc_start_block_height, block_hash, announced_phase
                from poc.epoch where epoch_index = ?""")) {
            ps.setLong(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Epoch(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
            }
        }
    }

    public void announced(long index, String phase) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update poc.epoch set announced_phase = ?, announced_at = now() where epoch_index = ?")) {
                ps.setString(1, phase);
                ps.setLong(2, index);
                return ps.executeUpdate();
            }
        });
    }
}
