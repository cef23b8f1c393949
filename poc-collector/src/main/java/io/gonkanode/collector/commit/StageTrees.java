package io.gonkanode.collector.commit;

import io.gonkanode.collector.db.Db;
import io.gonkanode.protocol.smst.GrowingSmst;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SMST of each (stage, model) this host commits, kept in memory and brought up to date from PostgreSQL before
 * each use: the artifacts stored since the last time, in their sequence order. After a restart the first use reads
 * the whole stage again, so the tree is rebuilt from what was durably stored — nothing else is trusted.
 */
@ApplicationScoped
public class StageTrees {

    static final int CHUNK = 50_000;

    /** A tree's current (count, root). */
    public record Tip(long count, byte[] root) {
    }

    private record Key(long stage, short model) {
    }

    private static final class Tree {
        final GrowingSmst smst = new GrowingSmst();
        long applied;
    }

    private final Db db;
    private final Map<Key, Tree> trees = new ConcurrentHashMap<>();

    public StageTrees(Db db) {
        this.db = db;
    }

    /** The (count, root) of every artifact stored for the stage and model so far. */
    public Tip tip(long stage, short model) {
        Tree t = trees.computeIfAbsent(new Key(stage, model), k -> new Tree());
        synchronized (t) {
            while (catchUp(t, stage, model) == CHUNK) {
                // more to read
            }
            return new Tip(t.smst.count(), t.smst.root());
        }
    }

    /** Forgets the trees of other stages (their stages are over). */
    public void keepOnly(java.util.Set<Long> stages) {
        trees.keySet().removeIf(k -> !stages.contains(k.stage()));
    }

    private int catchUp(Tree t, long stage, short model) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select nonce, vector from poc.artifact where stage_height = ? and model = ? "
                    + "and seq >= ? order by seq limit ?")) {
                ps.setLong(1, stage);
                ps.setShort(2, model);
                ps.setLong(3, t.applied);
                ps.setInt(4, CHUNK);
                ps.setFetchSize(10_000);
                int[] nonces = new int[CHUNK];
                byte[][] vectors = new byte[CHUNK][];
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        nonces[n] = (int) rs.getLong(1);
                        vectors[n] = rs.getBytes(2);
                        n++;
                    }
                }
                if (n > 0) {
                    t.smst.addAll(java.util.Arrays.copyOf(nonces, n), java.util.Arrays.copyOf(vectors, n));
                    t.applied += n;
                    if (t.smst.count() != t.applied) {
                        throw new IllegalStateException("stage " + stage + " model " + model + ": " + t.applied + " stored artifacts but "
                                + t.smst.count() + " distinct nonces");
                    }
                }
                return n;
            }
        });
    }
}
