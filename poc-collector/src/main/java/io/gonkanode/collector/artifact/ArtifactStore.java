package io.gonkanode.collector.artifact;

import io.gonkanode.collector.db.Db;
import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Durable, idempotent artifact storage: a whole batch goes in one transaction, committed before the ML node gets its
 * 200. A nonce already stored for the stage and model is skipped, so a resent batch counts once. Each new artifact
 * gets the next number of its stage and model's gap-free arrival sequence (the SMST "at count N" is the first N).
 */
@ApplicationScoped
public class ArtifactStore {

    private final Db db;

    public ArtifactStore(Db db) {
        this.db = db;
    }

    /**
     * Stores a batch; returns how many artifacts were new. The stage and model's counter row is locked first, so
     * batches of one stage and model number their artifacts one after another and become visible in that order. The
     * batch goes in by {@code COPY} (the fast path: a batch is almost always new); if any of its nonces is stored
     * already, as when an ML node resends a batch whose 200 it never saw, the key refuses the copy, which is undone to
     * a savepoint and repeated with the new artifacts only.
     */
    public int store(long stageHeight, short model, int nodeNum, long[] nonces, byte[][] vectors) {
        return db.tx(c -> {
            long next = reserve(c, stageHeight, model);
            Savepoint beforeCopy = c.setSavepoint();
            int stored;
            try {
                stored = copy(c, stageHeight, model, nodeNum, nonces, vectors, next);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                c.rollback(beforeCopy);
                Batch fresh = fresh(c, stageHeight, model, nonces, vectors);
                stored = fresh.nonces().length == 0 ? 0 : copy(c, stageHeight, model, nodeNum, fresh.nonces(), fresh.vectors(), next);
            }
            if (stored > 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "update poc.artifact_counter set next_seq = ? where stage_height = ? and model = ?")) {
                    ps.setLong(1, next + stored);
                    ps.setLong(2, stageHeight);
                    ps.setShort(3, model);
                    ps.executeUpdate();
                }
            }
            return stored;
        });
    }

    private static final String UNIQUE_VIOLATION = "23505";
    /** The header of PostgreSQL's binary COPY format: signature, flags, no extension. */
    private static final byte[] COPY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};

    /** The stage and model's next sequence number, with its counter row locked until the transaction ends. */
    static long reserve(Connection c, long stageHeight, short model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into poc.artifact_counter (stage_height, model, next_seq) values (?, ?, 0) "
                + "on conflict (stage_height, model) do update set next_seq = poc.artifact_counter.next_seq returning next_seq")) {
            ps.setLong(1, stageHeight);
            ps.setShort(2, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * COPY in binary format (no text to format here or to parse in the server): per row the field count, then
     * stage_height int8, model int2, nonce int8, node_num int4, the vector bytea and seq int8, each with its length.
     */
    static int copy(Connection c, long stageHeight, short model, int nodeNum, long[] nonces, byte[][] vectors, long firstSeq)
            throws SQLException {
        int size = COPY_HEADER.length + 2;
        for (byte[] v : vectors) {
            size += 2 + (4 + 8) + (4 + 2) + (4 + 8) + (4 + 4) + 4 + v.length + (4 + 8);
        }
        ByteBuffer rows = ByteBuffer.allocate(size); // big-endian, as the format wants
        rows.put(COPY_HEADER);
        for (int i = 0; i < nonces.length; i++) {
            rows.putShort((short) 6);
            rows.putInt(8).putLong(stageHeight);
            rows.putInt(2).putShort(model);
            rows.putInt(8).putLong(nonces[i]);
            rows.putInt(4).putInt(nodeNum);
            rows.putInt(vectors[i].length).put(vectors[i]);
            rows.putInt(8).putLong(firstSeq + i);
        }
        rows.putShort((short) -1);
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy poc.artifact (stage_height, model, nonce, node_num, vector, seq) from stdin (format binary)");
        try {
            in.writeToCopy(rows.array(), 0, rows.position());
            return (int) in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** Artifacts of a batch, in its order. */
    record Batch(long[] nonces, byte[][] vectors) {
    }

    /** The slow path's filter: the batch's artifacts not stored yet, each nonce once (its first occurrence). */
    static Batch fresh(Connection c, long stageHeight, short model, long[] nonces, byte[][] vectors) throws SQLException {
        Set<Long> stored = new HashSet<>();
        Long[] boxed = new Long[nonces.length];
        for (int i = 0; i < nonces.length; i++) {
            boxed[i] = nonces[i];
        }
        Array nonceArray = c.createArrayOf("bigint", boxed);
        try (PreparedStatement ps = c.prepareStatement(
                "select nonce from poc.artifact where stage_height = ? and model = ? and nonce = any(?::bigint[])")) {
            ps.setLong(1, stageHeight);
            ps.setShort(2, model);
            ps.setArray(3, nonceArray);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getLong(1));
                }
            }
        } finally {
            nonceArray.free();
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < nonces.length; i++) {
            if (stored.add(nonces[i])) {
                keep.add(i);
            }
        }
        long[] n = new long[keep.size()];
        byte[][] v = new byte[keep.size()][];
        for (int i = 0; i < n.length; i++) {
            n[i] = nonces[keep.get(i)];
            v[i] = vectors[keep.get(i)];
        }
        return new Batch(n, v);
    }

    /** PoC v1: nonces with their distance. */
    public int storeV1(long stageHeight, int nodeNum, long[] nonces, double[] dist) {
        return db.tx(c -> {
            Long[] n = new Long[nonces.length];
            Double[] d = new Double[dist.length];
            for (int i = 0; i < nonces.length; i++) {
                n[i] = nonces[i];
                d[i] = dist[i];
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into poc.nonce_v1 (stage_height, nonce, node_num, dist)
                    select ?, t.n, ?, t.d from unnest(?::bigint[], ?::float8[]) as t(n, d)
                    on conflict do nothing""")) {
                ps.setLong(1, stageHeight);
                ps.setInt(2, nodeNum);
                ps.setArray(3, c.createArrayOf("bigint", n));
                ps.setArray(4, c.createArrayOf("float8", d));
                return ps.executeUpdate();
            }
        });
    }

    /** Per node: how many artifacts it has for a stage and model, and its largest nonce. */
    public record NodeCount(int nodeNum, long count, long maxNonce) {
    }

    public List<NodeCount> counts(long stageHeight, short model) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    select node_num, count(*), max(nonce) from poc.artifact
                    where stage_height = ? and model = ? group by node_num order by node_num""")) {
                ps.setLong(1, stageHeight);
                ps.setShort(2, model);
                List<NodeCount> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new NodeCount(rs.getInt(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
                return out;
            }
        });
    }

    /** Every nonce a node stored for a stage and model, ascending. */
    public long[] nonces(long stageHeight, short model, int nodeNum) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select nonce from poc.artifact where stage_height = ? and model = ? and node_num = ? order by nonce")) {
                ps.setLong(1, stageHeight);
                ps.setShort(2, model);
                ps.setInt(3, nodeNum);
                ps.setFetchSize(10_000);
                List<Long> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
                return out.stream().mapToLong(Long::longValue).toArray();
            }
        });
    }

    /** The stored vectors of some nonces, in the given order (absent ones are skipped). */
    public List<Stored> vectors(long stageHeight, short model, long[] nonces) {
        return db.tx(c -> {
            Long[] boxed = new Long[nonces.length];
            for (int i = 0; i < nonces.length; i++) {
                boxed[i] = nonces[i];
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    select nonce, vector from poc.artifact
                    where stage_height = ? and model = ? and nonce = any(?::bigint[]) order by nonce""")) {
                ps.setLong(1, stageHeight);
                ps.setShort(2, model);
                ps.setArray(3, c.createArrayOf("bigint", boxed));
                List<Stored> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Stored(rs.getLong(1), rs.getBytes(2)));
                    }
                }
                return out;
            }
        });
    }

    /** A stored artifact. */
    public record Stored(long nonce, byte[] vector) {
    }

    /** Deletes artifacts of stages before {@code keepFrom}; returns how many rows went. */
    public int pruneBefore(long keepFrom) {
        return db.tx(c -> {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("delete from poc.artifact where stage_height < ?")) {
                ps.setLong(1, keepFrom);
                n += ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("delete from poc.nonce_v1 where stage_height < ?")) {
                ps.setLong(1, keepFrom);
                n += ps.executeUpdate();
            }
            for (String table : new String[] {"artifact_counter", "commitment"}) {
                try (PreparedStatement ps = c.prepareStatement("delete from poc." + table + " where stage_height < ?")) {
                    ps.setLong(1, keepFrom);
                    ps.executeUpdate();
                }
            }
            return n;
        });
    }
}
