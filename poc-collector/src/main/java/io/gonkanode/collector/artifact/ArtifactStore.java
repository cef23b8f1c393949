package io.gonkanode.collector.artifact;

import io.gonkanode.collector.commit.StageTrees;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Durable, idempotent artifact storage: a whole batch goes in one transaction (with the other batches waiting for the
 * same stage and model), committed before the ML node gets its 200. A nonce already stored for the stage and model is
 * skipped, so a resent batch counts once. Each new artifact gets the next number of its stage and model's gap-free
 * arrival sequence (the SMST "at count N" is the first N).
 */
@ApplicationScoped
public class ArtifactStore {

    private final Db db;
    private final StageTrees trees;
    private final Map<Key, Group> groups = new ConcurrentHashMap<>();

    public ArtifactStore(Db db, StageTrees trees) {
        this.db = db;
        this.trees = trees;
    }

    /**
     * Stores a batch; returns how many artifacts were new. Batches of one stage and model are written by one writer at a
     * time, each write taking every batch that is waiting (group commit): their artifacts are numbered one after
     * another and become visible in that order, in one transaction under the stage and model's counter row, so the
     * writes of concurrent ML nodes are not serialised one transaction each. The batches go in by one {@code COPY}
     * (the fast path: a batch is almost always new); if any nonce is stored already, as when an ML node resends a
     * batch whose 200 it never saw, the key refuses the copy, which is undone to a savepoint and repeated batch by
     * batch with the new artifacts only. A batch is acknowledged only once the transaction holding it has committed;
     * if it fails, every batch in it fails and is resent.
     */
    public int store(long stageHeight, short model, int nodeNum, long[] nonces, byte[][] vectors) {
        Group group = groups.computeIfAbsent(new Key(stageHeight, model), k -> new Group());
        Pending mine = new Pending(nodeNum, nonces, vectors);
        synchronized (group.waiting) {
            group.waiting.add(mine);
        }
        group.writer.lock();
        try {
            if (!mine.done) { // else written by the writer before us, with its group
                List<Pending> batches;
                synchronized (group.waiting) {
                    batches = new ArrayList<>(group.waiting);
                    group.waiting.clear();
                }
                write(stageHeight, model, batches);
            }
        } finally {
            group.writer.unlock(); // what the writer set on `mine` is visible to us from here on
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.stored.nonces().length;
    }

    /** Writes the batches in one transaction, in their order; marks each done, with what was stored or the failure. */
    private void write(long stageHeight, short model, List<Pending> batches) {
        try {
            db.tx(c -> {
                long next = reserve(c, stageHeight, model);
                Savepoint beforeCopy = c.setSavepoint();
                boolean copied;
                try {
                    copy(c, stageHeight, model, batches, next);
                    copied = true;
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    c.rollback(beforeCopy);
                    copied = false;
                }
                long at = next;
                for (Pending p : batches) {
                    // on the slow path each batch is filtered against what is stored, the earlier batches of this
                    // transaction included (an ML node's resend may wait in the same group as its first attempt)
                    p.stored = copied ? new Batch(p.nonces, p.vectors) : fresh(c, stageHeight, model, p.nonces, p.vectors);
                    if (!copied && p.stored.nonces().length > 0) {
                        copy(c, stageHeight, model, p.nodeNum, p.stored.nonces(), p.stored.vectors(), at);
                    }
                    p.from = at;
                    at += p.stored.nonces().length;
                }
                if (at > next) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "update poc.artifact_counter set next_seq = ? where stage_height = ? and model = ?")) {
                        ps.setLong(1, at);
                        ps.setLong(2, stageHeight);
                        ps.setShort(3, model);
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            for (Pending p : batches) {
                p.failure = e;
                p.done = true;
            }
            return;
        }
        for (Pending p : batches) {
            p.done = true;
            // committed: the commitment tree takes the batch from here rather than reading it back
            trees.stored(stageHeight, model, p.from, p.stored.nonces(), p.stored.vectors());
        }
    }

    private record Key(long stage, short model) {
    }

    /** A stage and model's writer and the batches waiting for it. */
    private static final class Group {
        final ReentrantLock writer = new ReentrantLock(true);
        final List<Pending> waiting = new ArrayList<>();
    }

    /** A batch waiting to be written; its outcome is set by the writer that writes it, under the group's lock. */
    private static final class Pending {
        final int nodeNum;
        final long[] nonces;
        final byte[][] vectors;
        boolean done;
        Batch stored;
        long from;
        RuntimeException failure;

        Pending(int nodeNum, long[] nonces, byte[][] vectors) {
            this.nodeNum = nodeNum;
            this.nonces = nonces;
            this.vectors = vectors;
        }
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
        return copyRows(c, rows);
    }

    private static int copyRows(Connection c, ByteBuffer rows) throws SQLException {
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

    /** The batches in one COPY, their artifacts numbered one after another from {@code firstSeq}. */
    static void copy(Connection c, long stageHeight, short model, List<Pending> batches, long firstSeq) throws SQLException {
        if (batches.size() == 1) {
            Pending p = batches.get(0);
            copy(c, stageHeight, model, p.nodeNum, p.nonces, p.vectors, firstSeq);
            return;
        }
        int size = COPY_HEADER.length + 2;
        for (Pending p : batches) {
            for (byte[] v : p.vectors) {
                size += 2 + (4 + 8) + (4 + 2) + (4 + 8) + (4 + 4) + 4 + v.length + (4 + 8);
            }
        }
        ByteBuffer rows = ByteBuffer.allocate(size);
        rows.put(COPY_HEADER);
        long seq = firstSeq;
        for (Pending p : batches) {
            for (int i = 0; i < p.nonces.length; i++) {
                rows.putShort((short) 6);
                rows.putInt(8).putLong(stageHeight);
                rows.putInt(2).putShort(model);
                rows.putInt(8).putLong(p.nonces[i]);
                rows.putInt(4).putInt(p.nodeNum);
                rows.putInt(p.vectors[i].length).put(p.vectors[i]);
                rows.putInt(8).putLong(seq++);
            }
        }
        rows.putShort((short) -1);
        copyRows(c, rows);
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
        groups.keySet().removeIf(k -> k.stage() < keepFrom);
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
