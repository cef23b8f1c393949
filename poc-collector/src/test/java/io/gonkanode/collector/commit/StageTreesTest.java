package io.gonkanode.collector.commit;

import io.gonkanode.collector.artifact.ArtifactStore;
import io.gonkanode.collector.db.Db;
import io.gonkanode.local.Database;
import io.gonkanode.protocol.smst.Smst;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The stage trees on the collector's own schema (its Flyway migrations on a real PostgreSQL): stores of more than one
 * read chunk (the next chunk is read while one is hashed) give the root of the same artifacts in sequence order, a
 * later catch-up adds only what came since, and a rebuild (a new instance: a restart) gives the same root again.
 * Batches the store hands over are taken as they are; what was not handed over in order is read from the store.
 */
class StageTreesTest {

    static Database database;
    static Db db;

    @BeforeAll
    static void schema() throws Exception {
        database = Database.forTests();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(database.url());
        ds.setUser(database.username());
        ds.setPassword(database.password());
        db = new Db(ds);
        migrate();
    }

    /** The collector's migrations in version order, as Flyway runs them at start-up (schema poc). */
    static void migrate() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("src/main/resources/db/migration");
        List<java.nio.file.Path> files;
        try (var list = java.nio.file.Files.list(dir)) {
            files = list.sorted(java.util.Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                    .toList();
        }
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("create schema poc");
            st.execute("set search_path to poc");
            for (java.nio.file.Path f : files) {
                st.execute(java.nio.file.Files.readString(f));
            }
        }
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void chunksReadAheadGiveTheRootOfTheArtifactsInSequenceOrder() throws Exception {
        long stage = 777;
        short model = 3;
        int first = 2 * StageTrees.CHUNK + 1_234; // three chunks, the last one short
        store(stage, model, 0, first);
        StageTrees trees = new StageTrees(db);
        StageTrees.Tip tip = trees.tip(stage, model);
        assertEquals(first, tip.count());
        assertArrayEquals(root(first), tip.root());

        // what came since is added; exactly one chunk more ends on a chunk boundary
        store(stage, model, first, StageTrees.CHUNK);
        StageTrees.Tip later = trees.tip(stage, model);
        assertEquals(first + StageTrees.CHUNK, later.count());
        assertArrayEquals(root(first + StageTrees.CHUNK), later.root());

        // after a restart the tree is rebuilt from what was stored
        assertArrayEquals(later.root(), new StageTrees(db).tip(stage, model).root());
        // another model of the same stage is a tree of its own
        assertEquals(0, trees.tip(stage, (short) 4).count());
    }

    @Test
    void aRepeatedNonceInTheStoreIsRefusedNotCommittedOver() throws Exception {
        long stage = 778;
        short model = 3;
        store(stage, model, 0, 10);
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            // the primary key forbids a repeated nonce; in a store changed by hand the tree refuses a count its leaves do
            // not have (the first occurrence counts, as upstream's) rather than commit it
            st.execute("alter table poc.artifact drop constraint artifact_pkey");
            st.execute("insert into poc.artifact (stage_height, model, nonce, node_num, vector, seq) values (" + stage + ", " + model
                    + ", 7, 1, '\\x00', 10)");
        }
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new StageTrees(db).tip(stage, model));
            assertEquals("stage 778 model 3: 11 stored artifacts but 10 distinct nonces", e.getMessage());
        } finally {
            try (Connection c = database.connect(); Statement st = c.createStatement()) {
                st.execute("delete from poc.artifact where stage_height = " + stage);
                st.execute("alter table poc.artifact add primary key (stage_height, model, nonce)");
            }
        }
    }

    @Test
    void batchesTheStoreHandsOverAreTakenWithoutReadingThemBack() throws Exception {
        long stage = 779;
        short model = 3;
        StageTrees trees = new StageTrees(db);
        ArtifactStore store = new ArtifactStore(db, trees);
        store.store(stage, model, 1, new long[] {0, 7}, new byte[][] {vector(0), vector(1)}); // before the tree exists: read
        assertEquals(2, trees.tip(stage, model).count());
        store.store(stage, model, 1, new long[] {14, 21}, new byte[][] {vector(2), vector(3)});
        store.store(stage, model, 2, new long[] {28, 35}, new byte[][] {vector(4), vector(5)});
        store.store(stage, model, 2, new long[] {28, 42}, new byte[][] {vector(4), vector(6)}); // resent in part: 42 is new
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            // gone from the table: only what was handed over can bring the tree to 7
            st.execute("delete from poc.artifact where stage_height = " + stage + " and seq >= 2");
        }
        StageTrees.Tip tip = trees.tip(stage, model);
        assertEquals(7, tip.count());
        assertArrayEquals(root(7), tip.root());
    }

    @Test
    void aBatchHandedOverLateIsReadFromTheStoreAndTheRestStillCounts() throws Exception {
        long stage = 780;
        short model = 3;
        StageTrees trees = new StageTrees(db);
        store(stage, model, 0, 10);
        assertEquals(10, trees.tip(stage, model).count());
        // sequence 10..19 committed but not handed over yet, 20..29 handed over: the gap is read from the store
        store(stage, model, 10, 20);
        trees.stored(stage, model, 20, nonces(20, 10), vectors(20, 10));
        StageTrees.Tip tip = trees.tip(stage, model);
        assertEquals(30, tip.count());
        assertArrayEquals(root(30), tip.root());
        // the late hand-over of 10..19 changes nothing
        trees.stored(stage, model, 10, nonces(10, 10), vectors(10, 10));
        assertArrayEquals(root(30), trees.tip(stage, model).root());
    }

    @Test
    void concurrentBatchesAndTheirResendsAreStoredOnceInOneGapFreeSequence() throws Exception {
        long stage = 781;
        short model = 3;
        StageTrees trees = new StageTrees(db);
        ArtifactStore store = new ArtifactStore(db, trees);
        trees.tip(stage, model); // the tree exists: every batch is handed over
        int batches = 120;
        int size = 50;
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(6);
        List<java.util.concurrent.Future<Integer>> sent = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            int first = b * size;
            // every batch is sent twice, the second time overlapping the next batch by 10 (as a resend that lost a race)
            sent.add(senders.submit(() -> store.store(stage, model, 1, nonces(first, size), vectors(first, size))));
            int overlap = Math.min(batches * size - first, size + 10);
            sent.add(senders.submit(() -> store.store(stage, model, 2, nonces(first, overlap), vectors(first, overlap))));
        }
        long acknowledged = 0;
        for (var f : sent) {
            acknowledged += f.get();
        }
        senders.shutdown();
        int total = batches * size;
        assertEquals(total, acknowledged, "each artifact counted once, by whichever batch stored it");
        try (Connection c = database.connect(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select count(*), count(distinct nonce), min(seq), max(seq), count(distinct seq) "
                     + "from poc.artifact where stage_height = " + stage)) {
            rs.next();
            assertEquals(total, rs.getLong(1));
            assertEquals(total, rs.getLong(2));
            assertEquals(0, rs.getLong(3));
            assertEquals(total - 1, rs.getLong(4));
            assertEquals(total, rs.getLong(5), "gap-free and unique");
        }
        // the tree, from the hand-over, is the tree of the rows in their sequence order, as a restart rebuilds it
        StageTrees.Tip tip = trees.tip(stage, model);
        assertEquals(total, tip.count());
        assertArrayEquals(new StageTrees(db).tip(stage, model).root(), tip.root());
    }

    static byte[] vector(int g) {
        return HexFormat.of().parseHex(String.format("%048x", g));
    }

    static long[] nonces(int from, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = (from + i) * 7L;
        }
        return out;
    }

    static byte[][] vectors(int from, int n) {
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = vector(from + i);
        }
        return out;
    }

    /** Artifacts with sequence numbers [from, from + n): nonce = seq × 7 (spread, distinct), a vector made of the seq. */
    static void store(long stage, short model, int from, int n) throws Exception {
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("insert into poc.artifact (stage_height, model, nonce, node_num, vector, seq) select " + stage + ", " + model
                    + ", g * 7, 1, decode(lpad(to_hex(g), 48, '0'), 'hex'), g from generate_series(" + from + ", " + (from + n - 1) + ") g");
        }
    }

    static byte[] root(int n) {
        List<Smst.Leaf> leaves = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            leaves.add(new Smst.Leaf(g * 7, vector(g)));
        }
        return Smst.of(leaves).root();
    }
}
