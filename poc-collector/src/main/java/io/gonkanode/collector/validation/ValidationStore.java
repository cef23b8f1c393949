package io.gonkanode.collector.validation;

import io.gonkanode.collector.db.Db;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Validation rows: one per (epoch, model, node), from PENDING to PASSED, FRAUD or UNVALIDATED. */
@ApplicationScoped
public class ValidationStore {

    /** A validation row. */
    public record Row(long id, long epoch, long stageHeight, short model, int nodeNum, long artifactCount,
                      long maxNonce, int sampleSize, ValidationStatus status, String reason, Integer validatorNodeNum,
                      String requestId, String tried, int attempts, Instant sentAt, Integer nTotal,
                      Integer nMismatch, Double pValue) {

        public List<Integer> triedNodes() {
            List<Integer> out = new ArrayList<>();
            for (String s : tried.split(",")) {
                if (!s.isBlank()) {
                    out.add(Integer.parseInt(s.trim()));
                }
            }
            return out;
        }
    }

    private static final String COLUMNS = """
            id, epoch_index, stage_height, model, node_num, artifact_count, max_nonce, sample_size, status, reason,
            validator_node_num, request_id, tried, attempts, sent_at, n_total, n_mismatch, p_value""";

    private final Db db;

    public ValidationStore(Db db) {
        this.db = db;
    }

    /** Creates the row unless it exists; returns whether it was created. */
    public boolean create(long epoch, long stage, short model, int nodeNum, long count, long maxNonce, int sampleSize,
                          ValidationStatus status, String reason) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into poc.validation (epoch_index, stage_height, model, node_num, artifact_count, max_nonce,
                                                sample_size, status, reason)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (epoch_index, model, node_num) do nothing""")) {
                ps.setLong(1, epoch);
                ps.setLong(2, stage);
                ps.setShort(3, model);
                ps.setInt(4, nodeNum);
                ps.setLong(5, count);
                ps.setLong(6, maxNonce);
                ps.setInt(7, sampleSize);
                ps.setString(8, status.name());
                ps.setString(9, reason);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public List<Row> forEpoch(long epoch) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from poc.validation where epoch_index = ? order by model, node_num")) {
                ps.setLong(1, epoch);
                return rows(ps);
            }
        });
    }

    /** The open request this validation result belongs to: by request id, else the newest SENT row for the prover. */
    public Optional<Row> forResult(String requestId, long stage, int proverNodeNum, short model) {
        return db.tx(c -> {
            if (requestId != null && !requestId.isBlank()) {
                try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from poc.validation where request_id = ?")) {
                    ps.setString(1, requestId);
                    List<Row> found = rows(ps);
                    if (!found.isEmpty()) {
                        return Optional.of(found.get(0));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                    + " from poc.validation where stage_height = ? and node_num = ? and model = ? order by id desc")) {
                ps.setLong(1, stage);
                ps.setInt(2, proverNodeNum);
                ps.setShort(3, model);
                return rows(ps).stream().findFirst();
            }
        });
    }

    public void sent(long id, int validatorNodeNum, String requestId, String tried, int attempts) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    update poc.validation set status = 'SENT', validator_node_num = ?, request_id = ?, tried = ?,
                           attempts = ?, sent_at = now(), reason = null where id = ?""")) {
                ps.setInt(1, validatorNodeNum);
                ps.setString(2, requestId);
                ps.setString(3, tried);
                ps.setInt(4, attempts);
                ps.setLong(5, id);
                return ps.executeUpdate();
            }
        });
    }

    public void waiting(long id, String reason, String tried, int attempts) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update poc.validation set status = 'PENDING', reason = ?, tried = ?, attempts = ? where id = ? and status in ('PENDING', 'SENT')")) {
                ps.setString(1, reason);
                ps.setString(2, tried);
                ps.setInt(3, attempts);
                ps.setLong(4, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Records a verdict; only the first one for a row counts. Returns whether it was recorded. */
    public boolean result(long id, ValidationStatus status, String reason, int nTotal, int nMismatch, double pValue) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    update poc.validation set status = ?, reason = ?, n_total = ?, n_mismatch = ?, p_value = ?, result_at = now()
                    where id = ? and status in ('PENDING', 'SENT')""")) {
                ps.setString(1, status.name());
                ps.setString(2, reason);
                ps.setInt(3, nTotal);
                ps.setInt(4, nMismatch);
                ps.setDouble(5, pValue);
                ps.setLong(6, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public void close(long id, ValidationStatus status, String reason) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update poc.validation set status = ?, reason = ? where id = ? and status in ('PENDING', 'SENT')")) {
                ps.setString(1, status.name());
                ps.setString(2, reason);
                ps.setLong(3, id);
                return ps.executeUpdate();
            }
        });
    }

    private static List<Row> rows(PreparedStatement ps) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp sent = rs.getTimestamp(15);
                out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getShort(4), rs.getInt(5), rs.getLong(6),
                        rs.getLong(7), rs.getInt(8), ValidationStatus.valueOf(rs.getString(9)), rs.getString(10), intOrNull(rs, 11),
                        rs.getString(12), rs.getString(13), rs.getInt(14), sent == null ? null : sent.toInstant(),
                        intOrNull(rs, 16), intOrNull(rs, 17), rs.getObject(18) == null ? null : rs.getDouble(18)));
            }
        }
        return out;
    }

    private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

}
