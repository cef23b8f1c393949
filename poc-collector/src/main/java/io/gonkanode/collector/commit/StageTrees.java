package io.gonkanode.collector.commit;

import io.gonkanode.collector.db.Db;
import io.gonkanode.protocol.smst.GrowingSmst;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

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
            // the next chunk is read while this one is hashed: PostgreSQL and the tree work on both cores (a rebuild of
            // a million artifacts after a restart takes the longer of the two, not their sum; bench/ ProofsBench)
            Chunk next = read(stage, model, t.applied);
            while (next.size() > 0) {
                Chunk current = next;
                CompletableFuture<Chunk> ahead = current.size() == CHUNK
                        ? CompletableFuture.supplyAsync(() -> read(stage, model, current.from() + CHUNK), READER) : null;
                apply(t, stage, model, current);
                next = ahead == null ? Chunk.NONE : await(ahead);
            }
            return new Tip(t.smst.count(), t.smst.root());
        }
    }

    /** Forgets the trees of other stages (their stages are over). */
    public void keepOnly(java.util.Set<Long> stages) {
        trees.keySet().removeIf(k -> !stages.contains(k.stage()));
    }

    /** Up to CHUNK stored artifacts from sequence number {@code from} on, in sequence order. */
    private record Chunk(long from, int[] nonces, byte[][] vectors) {
        static final Chunk NONE = new Chunk(0, new int[0], new byte[0][]);

        int size() {
            return nonces.length;
        }
    }

    /** Reads ahead for {@link #tip}: one thread, idle but for a catch-up, never holding the JVM up. */
    private static final Executor READER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "stage-tree-reader");
        thread.setDaemon(true);
        return thread;
    });

    private static Chunk await(CompletableFuture<Chunk> ahead) {
        try {
            return ahead.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private Chunk read(long stage, short model, long from) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select nonce, vector from poc.artifact where stage_height = ? and model = ? "
                    + "and seq >= ? order by seq limit ?")) {
                ps.setLong(1, stage);
                ps.setShort(2, model);
                ps.setLong(3, from);
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
                return n == CHUNK ? new Chunk(from, nonces, vectors) : new Chunk(from, Arrays.copyOf(nonces, n), Arrays.copyOf(vectors, n));
            }
        });
    }

    private static void apply(Tree t, long stage, short model, Chunk chunk) {
        if (chunk.from() != t.applied) {
            throw new IllegalStateException("stage " + stage + " model " + model + ": chunk from " + chunk.from() + " but " + t.applied + " applied");
        }
        t.smst.addAll(chunk.nonces(), chunk.vectors());
        t.applied += chunk.size();
        if (t.smst.count() != t.applied) {
            throw new IllegalStateException("stage " + stage + " model " + model + ": " + t.applied + " stored artifacts but "
                    + t.smst.count() + " distinct nonces");
        }
    }
}
