package io.gonkanode.collector.artifact;

import io.gonkanode.collector.db.Db;
import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Durable, idempotent artifact storage: a whole batch goes in one transaction ({@code COPY}, or an
 * {@code unnest} insert when some of it is stored already), committed before the ML node gets its 200. A
 * nonce already stored for the stage and model is skipped, so a resent batch counts once.
 */
@ApplicationScoped
public class ArtifactStore {

    private final Db db;

    public ArtifactStore(Db db) {
        this.db = db;
    }

    /**
     * Stores a batch; returns how many artifacts were new. The batch goes in by {@code COPY} (the fast path:
     * a batch is almost always new); if any of its nonces is stored already, as when an ML node resends a
     * batch whose 200 it never saw, the key refuses the whole copy and the batch goes in again by an insert
     * that skips the stored ones. Either way it is one transaction, committed before the 200.
     */
    public int store(long stageHeight, short model, int nodeNum, long[] nonces, byte[][] vectors) {
        try {
            return db.tx(c -> copy(c, stageHeight, model, nodeNum, nonces, vectors));
        } catch (Db.DbException e) {
            if (!(e.getCause() instanceof SQLException sql) || !UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw e;
            }
        }
        return db.tx(c -> insertNew(c, stageHeight, model, nodeNum, nonces, vectors));
    }

    private static final String UNIQUE_VIOLATION = "23505";
    /** The header of PostgreSQL's binary COPY format: signature, flags, no extension. */
    private static final byte[] COPY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};

    /**
     * COPY in binary format (no text to format here or to parse in the server): per row the field count,
     * then stage_height int8, model int2, nonce int8, node_num int4 and the vector bytea, each with its length.
     */
    static int copy(Connection c, long stageHeight, short model, int nodeNum, long[] nonces, byte[][] vectors) throws SQLException {
        int size = COPY_HEADER.length + 2;
        for (byte[] v : vectors) {
            size += 2 + (4 + 8) + (4 + 2) + (4 + 8) + (4 + 4) + 4 + v.length;
        }
        ByteBuffer rows = ByteBuffer.allocate(size); // big-endian, as the format wants
        rows.put(COPY_HEADER);
        for (int i = 0; i < nonces.length; i++) {
            rows.putShort((short) 5);
            rows.putInt(8).putLong(stageHeight);
            rows.putInt(2).putShort(model);
            rows.putInt(8).putLong(nonces[i]);
            rows.putInt(4).putInt(nodeNum);
            rows.putInt(vectors[i].length).put(vectors[i]);
        }
        rows.putShort((short) -1);
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy poc.artifact (stage_height, model, nonce, node_num, vector) from stdin (format binary)");
        try {
            in.writeToCopy(rows.array(), 0, rows.position());
            return (int) in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** The slow path: one insert of the batch that skips nonces already stored for the stage and model. */
    static int insertNew(Connection c, long stageHeight, short model, int nodeNum, long[] nonces, byte[][] vectors) throws SQLException {
        Long[] boxed = new Long[nonces.length];
        for (int i = 0; i < nonces.length; i++) {
            boxed[i] = nonces[i];
        }
        Array nonceArray = c.createArrayOf("bigint", boxed);
        Array vectorArray = c.createArrayOf("bytea", vectors);
        try (PreparedStatement ps = c.prepareStatement("""
                insert into poc.artifact (stage_height, model, nonce, node_num, vector)
                select ?, ?, t.n, ?, t.v from unnest(?::bigint[], ?::bytea[]) as t(n, v)
                on conflict do nothing""")) {
            ps.setLong(1, stageHeight);
            ps.setShort(2, model);
            ps.setInt(3, nodeNum);
            ps.setArray(4, nonceArray);
            ps.setArray(5, vectorArray);
            return ps.executeUpdate();
        } finally {
            nonceArray.free();
            vectorArray.free();
        }
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
            return n;
        });
    }
}
