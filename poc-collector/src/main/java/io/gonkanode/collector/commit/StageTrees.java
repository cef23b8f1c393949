package io.gonkanode.collector.commit;

import io.gonkanode.collector.db.Db;
import io.gonkanode.protocol.smst.GrowingSmst;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SMST of each (stage, model) this host commits, kept in memory and brought up to date before each use: the
 * artifacts stored since the last time, in their sequence order. The store hands each batch over once it is committed
 * ({@link #stored}), so the tree takes them without reading them back; whatever it was not handed in order (a batch
 * handed over late, or none while the hand-over queue is full) it reads from PostgreSQL. After a restart the first use
 * reads the whole stage again, so the tree is rebuilt from what was durably stored — nothing else is trusted.
 */
@ApplicationScoped
public class StageTrees {

    static final int CHUNK = 50_000;
    /** Artifacts handed over and not yet taken, at most (about 50 MB); beyond, the tree reads them from the store. */
    static final int MAX_HANDED = 1_000_000;

    /** A tree's current (count, root). */
    public record Tip(long count, byte[] root) {
    }

    private record Key(long stage, short model) {
    }

    private static final class Tree {
        final GrowingSmst smst = new GrowingSmst();
        long applied;
        /** Batches the store committed since the last catch-up; lock-free, so storing never waits for a catch-up. */
        final Queue<Chunk> handed = new ConcurrentLinkedQueue<>();
        final AtomicLong handedCount = new AtomicLong();
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
            // first what the store handed over, in sequence order, as far as it runs on without a gap
            TreeMap<Long, Chunk> handed = new TreeMap<>();
            for (Chunk c; (c = t.handed.poll()) != null; ) {
                t.handedCount.addAndGet(-c.size());
                handed.put(c.from(), c);
            }
            List<Chunk> run = new ArrayList<>();
            long end = t.applied;
            for (Chunk c : handed.values()) {
                if (c.from() > end) {
                    break; // a batch not handed over yet: the rest comes from the store
                }
                if (c.from() + c.size() > end) {
                    run.add(c.from() == end ? c : c.from(end));
                    end = c.from() + c.size();
                }
            }
            if (!run.isEmpty()) {
                apply(t, stage, model, Chunk.join(run)); // one merge into the tree for all of them, not one per batch
            }
            // then whatever else the store holds; the next chunk is read while this one is hashed, so PostgreSQL and the
            // tree work on both cores (a rebuild of a million artifacts takes the longer of the two; bench/ ProofsBench)
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

    /**
     * Artifacts the store has just committed with sequence numbers {@code from} on, in that order. Taken at the tree's
     * next catch-up; ignored for a tree nobody has asked for yet (its first catch-up reads the store).
     */
    public void stored(long stage, short model, long from, long[] nonces, byte[][] vectors) {
        Tree t = trees.get(new Key(stage, model));
        int n = nonces.length;
        if (t == null || n == 0) {
            return;
        }
        if (t.handedCount.addAndGet(n) > MAX_HANDED) {
            t.handedCount.addAndGet(-n); // the store has them: read back at the next catch-up
            return;
        }
        int[] ints = new int[n];
        for (int i = 0; i < n; i++) {
            ints[i] = (int) nonces[i];
        }
        t.handed.add(new Chunk(from, ints, vectors.length == n ? vectors : Arrays.copyOf(vectors, n)));
    }

    /** Forgets the trees of other stages (their stages are over). */
    public void keepOnly(java.util.Set<Long> stages) {
        trees.keySet().removeIf(k -> !stages.contains(k.stage()));
    }

    /** Stored artifacts with sequence numbers from {@code from} on, in sequence order: a read of up to CHUNK, or a batch handed over. */
    private record Chunk(long from, int[] nonces, byte[][] vectors) {
        static final Chunk NONE = new Chunk(0, new int[0], new byte[0][]);

        int size() {
            return nonces.length;
        }

        /** Consecutive chunks as one. */
        static Chunk join(List<Chunk> run) {
            if (run.size() == 1) {
                return run.get(0);
            }
            int n = run.stream().mapToInt(Chunk::size).sum();
            int[] nonces = new int[n];
            byte[][] vectors = new byte[n][];
            int at = 0;
            for (Chunk c : run) {
                System.arraycopy(c.nonces(), 0, nonces, at, c.size());
                System.arraycopy(c.vectors(), 0, vectors, at, c.size());
                at += c.size();
            }
            return new Chunk(run.get(0).from(), nonces, vectors);
        }

        /** The part from sequence number {@code seq} on. */
        Chunk from(long seq) {
            int skip = (int) (seq - from);
            return new Chunk(seq, Arrays.copyOfRange(nonces, skip, nonces.length), Arrays.copyOfRange(vectors, skip, vectors.length));
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
