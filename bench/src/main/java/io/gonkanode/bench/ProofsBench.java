package io.gonkanode.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gonkanode.collector.artifact.ArtifactStore;
import io.gonkanode.collector.commit.StageTrees;
import io.gonkanode.collector.db.Db;
import io.gonkanode.local.Database;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.proofs.ProofClient;
import io.gonkanode.protocol.proofs.ProofService;
import io.gonkanode.protocol.proofs.ProofStore;
import io.gonkanode.protocol.proofs.RateLimiter;
import io.gonkanode.protocol.proofs.Sampling;
import io.gonkanode.protocol.proofs.TreeSnapshot;
import io.gonkanode.protocol.smst.GrowingSmst;
import io.gonkanode.protocol.smst.Smst;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PoC v2 commitments and proofs at network scale (issue 18, parts 1-3), on the code the services run: chain-protocol's
 * {@link GrowingSmst} (what poc-collector's {@code StageTrees} keeps current), {@link Smst} (the snapshot
 * {@code StoredProofs} serves proofs from), {@link ProofService} (the proofs API's checks and answers, signatures
 * included) and {@link ProofClient} (what the collector's {@code HostValidator} asks and verifies with).
 *
 * <ol>
 *   <li>SMST: a stage of N artifacts in PostgreSQL (poc.artifact's shape, in arrival order), its tree rebuilt as
 *       {@code StageTrees} does after a restart (50,000-row chunks by sequence) and as {@code StoredProofs} builds a
 *       snapshot; the CPU of keeping the tree current while batches arrive; the heap each takes per million.</li>
 *   <li>Proofs: requests of 500 indices answered by the proofs service over a snapshot of N (server time, CPU per
 *       proof), then V validators asking 200 indices each at the same moment over HTTP, each from its own address
 *       within the API's rate limit.</li>
 *   <li>Validating the network: H simulated peer hosts serve their proofs over HTTP; 200 sampled proofs fetched and
 *       verified from each, with the collector's 10 workers; against a tenth of mainnet's validation window.</li>
 * </ol>
 * The HTTP server here is the JDK's, with the API's rate limiter in front of the service: it stands in for Quarkus'
 * (poc-collector's resource adds nothing but the limiter and a counter); the figures are the service's and the wire's.
 *
 * <pre>java -Xmx3g -cp bench/target/bench.jar:bench/target/lib/* io.gonkanode.bench.ProofsBench [artifacts] [validators] [hosts]</pre>
 */
public final class ProofsBench {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final long STAGE = 20;
    static final short MODEL_KEY = 1;
    static final int NODES = 100;
    static final int BATCH = 2_000;
    static final int CHUNK = 50_000; // StageTrees.CHUNK
    static final int REPEAT = 5;
    /** Mainnet's poc_validation_duration (v0.2.10 upgrade) and upstream's assumed block time. */
    static final int VALIDATION_BLOCKS = 240;
    static final int BLOCK_SECONDS = 5;
    static final int HOST_ARTIFACTS = 20_000;

    static final ObjectMapper JSON = new ObjectMapper();
    static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0); // the HTTP clients' threads would keep the JVM alive
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int validators = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int hosts = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path out = Path.of(System.getProperty("bench.out", "bench/out"));
        Files.createDirectories(out);
        Path dir = Files.createTempDirectory("gonka-proofs");
        StringBuilder report = new StringBuilder();
        try {
            // -Dparts=smst,proofs,network runs only those
            List<String> parts = List.of(System.getProperty("parts", "smst,proofs,network").split(","));
            Arrivals arrivals = Arrivals.of(n, new SplittableRandom(18));
            Smst snapshot;
            try (Database db = Database.embedded(dir.resolve("postgres"), ServiceProcess.freePort())) {
                snapshot = parts.contains("smst") ? smst(db, arrivals, report) : Smst.of(leaves(arrivals, n));
            }
            System.out.println(report);
            int printed = report.length();
            arrivals = null;
            if (parts.contains("proofs")) {
                proofs(snapshot, validators, report);
                System.out.println(report.substring(printed));
                printed = report.length();
            }
            if (parts.contains("network")) {
                network(hosts, report);
                System.out.println(report.substring(printed));
            }
        } finally {
            deleteTree(dir);
        }
        Files.writeString(out.resolve("proofs.md"), report);
    }

    // ---------------------------------------------------------------- 1. SMST

    /** N distinct nonces from NODES ML nodes, each posting batches of BATCH in turn; 24-byte vectors. */
    record Arrivals(int[] nonces, byte[][] vectors) {
        static Arrivals of(int n, SplittableRandom rnd) {
            int[] nonces = new int[n];
            byte[][] vectors = new byte[n][];
            int perNode = (n + NODES - 1) / NODES;
            int i = 0;
            for (int round = 0; i < n; round++) {
                for (int node = 0; node < NODES && i < n; node++) {
                    for (int b = 0; b < BATCH && i < n; b++) {
                        int j = round * BATCH + b; // the node's j-th nonce
                        if (j >= perNode) {
                            break;
                        }
                        nonces[i] = node + j * NODES; // nodes interleave, as ML nodes split the nonce space
                        vectors[i++] = vector(rnd);
                    }
                }
            }
            return new Arrivals(nonces, vectors);
        }

        int size() {
            return nonces.length;
        }

        /** 12 random finite float16 values (little-endian): an exponent below 16 is never NaN nor infinite. */
        static byte[] vector(SplittableRandom rnd) {
            byte[] v = new byte[24];
            rnd.nextBytes(v);
            for (int k = 1; k < v.length; k += 2) {
                v[k] &= (byte) 0xBF;
            }
            return v;
        }
    }

    static Smst smst(Database db, Arrivals a, StringBuilder report) throws Exception {
        int n = a.size();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.url());
        ds.setUser(db.username());
        ds.setPassword(db.password());
        migrate(db);
        copy(db, a, STAGE, 0, n);

        // the reference root, from memory
        byte[] root = Smst.of(leaves(a, n)).root();

        // a. the tree rebuilt from PostgreSQL: poc-collector's StageTrees after a restart (a new instance), and the proof
        // snapshot StoredProofs builds; reading alone, for comparison
        List<Double> rebuild = new ArrayList<>();
        List<Double> readOnly = new ArrayList<>();
        List<Double> snapshotBuild = new ArrayList<>();
        Smst snapshot = null;
        for (int r = 0; r < REPEAT; r++) {
            long t0 = System.nanoTime();
            StageTrees.Tip tip = new StageTrees(new Db(ds)).tip(STAGE, MODEL_KEY);
            rebuild.add(seconds(System.nanoTime() - t0));
            check(Arrays.equals(root, tip.root()) && tip.count() == n, "the rebuilt tree's root is the reference root");

            t0 = System.nanoTime();
            check(readAll(db, n).size() == n, "read");
            readOnly.add(seconds(System.nanoTime() - t0));

            t0 = System.nanoTime();
            snapshot = Smst.of(readAll(db, n));
            snapshotBuild.add(seconds(System.nanoTime() - t0));
            check(Arrays.equals(root, snapshot.root()), "the snapshot's root is the reference root");
        }

        // b. keeping the tree current: at 100,000 artifacts/s and a commit every 5 s, each commit's StageTrees.tip takes
        // the 500,000 artifacts stored since the last one: handed over by poc-collector's ArtifactStore as it stores them
        // (the collector's path), or read back from PostgreSQL (rows it was not handed: COPY'd here behind its back).
        // The CPU of this JVM (tip and its read-ahead thread) and of PostgreSQL while tip runs, not while rows are stored
        List<Double> handedOver = new ArrayList<>();
        List<Double> handedPostgres = new ArrayList<>();
        List<Double> perHundredK = new ArrayList<>();
        List<Double> postgresPart = new ArrayList<>();
        List<Double> treeOnly = new ArrayList<>();
        int perCommit = 500_000;
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int r = 0; r < 3; r++) {
            long stage = STAGE + 1 + r;
            StageTrees trees = new StageTrees(new Db(ds));
            double jvm = 0;
            double pg = 0;
            StageTrees.Tip tip = null;
            for (int from = 0; from < n; from += perCommit) {
                copy(db, a, stage, from, Math.min(n, from + perCommit));
                long cpu0 = os.getProcessCpuTime();
                double pg0 = IngestBench.Cpu.postgresSeconds();
                tip = trees.tip(stage, MODEL_KEY);
                jvm += seconds(os.getProcessCpuTime() - cpu0);
                pg += IngestBench.Cpu.postgresSeconds() - pg0;
            }
            check(Arrays.equals(root, tip.root()), "the tree kept current has the reference root");
            double hundreds = n / 100_000.0;
            // the same through the store, 2,000-artifact batches of the 100 nodes as they arrive
            long handedStage = STAGE + 10 + r;
            StageTrees handedTrees = new StageTrees(new Db(ds));
            ArtifactStore store = new ArtifactStore(new Db(ds), handedTrees);
            handedTrees.tip(handedStage, MODEL_KEY); // the commit worker's first look, as the window opens
            double hjvm = 0;
            double hpg = 0;
            for (int from = 0; from < n; from += perCommit) {
                for (int b = from; b < Math.min(n, from + perCommit); b += BATCH) {
                    int e = Math.min(Math.min(n, from + perCommit), b + BATCH);
                    long[] batchNonces = new long[e - b];
                    for (int i = b; i < e; i++) {
                        batchNonces[i - b] = Integer.toUnsignedLong(a.nonces[i]);
                    }
                    store.store(handedStage, MODEL_KEY, a.nonces[b] % NODES, batchNonces, Arrays.copyOfRange(a.vectors, b, e));
                }
                long cpu0 = os.getProcessCpuTime();
                double pg0 = IngestBench.Cpu.postgresSeconds();
                tip = handedTrees.tip(handedStage, MODEL_KEY);
                hjvm += seconds(os.getProcessCpuTime() - cpu0);
                hpg += IngestBench.Cpu.postgresSeconds() - pg0;
            }
            check(Arrays.equals(root, tip.root()), "the tree kept current from the store's hand-over has the reference root");
            handedOver.add((hjvm + hpg) / hundreds);
            handedPostgres.add(hpg / hundreds);
            perHundredK.add((jvm + pg) / hundreds);
            postgresPart.add(pg / hundreds);
            // the tree's own share: the same chunks from memory
            GrowingSmst alone = new GrowingSmst();
            long t0 = CPU.getCurrentThreadCpuTime();
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                alone.addAll(Arrays.copyOfRange(a.nonces, from, to), Arrays.copyOfRange(a.vectors, from, to));
                if (to % perCommit == 0 || to == n) {
                    alone.root();
                }
            }
            treeOnly.add(seconds(CPU.getCurrentThreadCpuTime() - t0) / hundreds);
        }

        // c. heap per million artifacts
        long base = usedHeap();
        GrowingSmst held = new GrowingSmst();
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            held.addAll(Arrays.copyOfRange(a.nonces, from, to), Arrays.copyOfRange(a.vectors, from, to));
        }
        double growingMiB = (usedHeap() - base) / 1048576.0 / (n / 1e6);
        check(held.count() == n, "kept");
        held = null;
        snapshot = null;
        base = usedHeap();
        Smst heldSnapshot = Smst.of(readAll(db, n));
        double snapshotMiB = (usedHeap() - base) / 1048576.0 / (n / 1e6);
        check(heldSnapshot.count() == n, "kept");

        Stats rb = Stats.of(rebuild);
        Stats rr = Stats.of(readOnly);
        Stats sb = Stats.of(snapshotBuild);
        Stats mk = Stats.of(perHundredK);
        Stats mt = Stats.of(treeOnly);
        Stats mp = Stats.of(postgresPart);
        Stats hk = Stats.of(handedOver);
        Stats hp = Stats.of(handedPostgres);
        report.append(String.format(Locale.ROOT, """
                ### SMST commitments at scale

                One stage of **%,d artifacts** (24-byte vectors, %d ML nodes posting %,d-artifact batches in turn), stored
                with their arrival sequence in PostgreSQL on poc-collector's own migrations. The trees are poc-collector's
                `StageTrees` (a new instance is a restart) and chain-protocol's `Smst` as `StoredProofs` builds it. Median
                (min–max) of %d repetitions, 3 for keeping current. Every tree's root equals the root computed from memory.

                | what | how | median | min – max |
                |---|---|---:|---:|
                | rebuild after a restart (`StageTrees.tip`) | %,d-row chunks by sequence, the next read while one is hashed | **%.2f s** | %.2f – %.2f s |
                | … reading the same rows alone, for comparison | one query by sequence | %.2f s | %.2f – %.2f s |
                | proof snapshot (`StoredProofs`) | every row by sequence, then `Smst.of` | %.2f s | %.2f – %.2f s |
                | keeping it current (`StageTrees.tip` at each commit) | 500,000 new artifacts a commit (5 s at 100,000/s), handed over by `ArtifactStore` as stored, a root | **%.3f CPU s per 100,000** | %.3f – %.3f |
                | … of which PostgreSQL (the check for anything not handed over) | | %.3f | %.3f – %.3f |
                | keeping it current from rows read back (not handed over: a hand-over queue full, a batch late) | the same, read from PostgreSQL | %.3f CPU s per 100,000 | %.3f – %.3f |
                | … of which PostgreSQL serving the reads | | %.3f | %.3f – %.3f |
                | … the tree alone, for comparison (`GrowingSmst.addAll`, %,d at a time, from memory) | | %.3f | %.3f – %.3f |

                At 100,000 artifacts/s, keeping the tree current costs **%.1f %% of one core** (median, the collector's JVM and
                PostgreSQL together; target ≤ 15 %%). Heap per million artifacts: **%.0f MiB** for the growing tree (what
                poc-collector keeps per stage and model), **%.0f MiB** for a proof snapshot (one per committed count asked
                for, at most 3 kept).

                | target | measured | met |
                |---|---|---|
                | root of 1,000,000 artifacts rebuilt from PostgreSQL ≤ 2 s | %.2f s (%s) | %s |
                | SMST maintenance at 100,000 artifacts/s ≤ 15 %% of a core | %.1f %% | %s |

                """, n, NODES, BATCH, REPEAT, CHUNK, rb.median, rb.min, rb.max, rr.median, rr.min, rr.max, sb.median, sb.min, sb.max,
                hk.median, hk.min, hk.max, hp.median, hp.min, hp.max,
                mk.median, mk.min, mk.max, mp.median, mp.min, mp.max, CHUNK, mt.median, mt.min, mt.max, hk.median * 100, growingMiB, snapshotMiB,
                rb.median * (1e6 / n), n == 1_000_000 ? "measured" : "scaled from " + n, rb.median * (1e6 / n) <= 2 ? "yes" : "**no**",
                hk.median * 100, hk.median <= 0.15 ? "yes" : "**no**"));
        return heldSnapshot;
    }

    /** poc-collector's migrations in version order, as Flyway runs them at its start (schema poc). */
    static void migrate(Database db) throws Exception {
        Path dir = Path.of(System.getProperty("gonka.root", "."), "poc-collector/src/main/resources/db/migration");
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.sorted(java.util.Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                    .toList();
        }
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("create schema poc");
            st.execute("set search_path to poc");
            for (Path f : files) {
                st.execute(Files.readString(f));
            }
        }
    }

    /** Stores artifacts [from, to) of the arrivals with their sequence numbers, by binary COPY as poc-collector does. */
    static void copy(Database db, Arrivals a, long stage, int from, int to) throws Exception {
        try (Connection c = db.connect()) {
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy poc.artifact (stage_height, model, nonce, node_num, vector, seq) from stdin (format binary)");
            ByteBuffer row = ByteBuffer.allocate(2 + 12 + 6 + 12 + 8 + 28 + 12);
            in.writeToCopy(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 19);
            for (int i = from; i < to; i++) {
                row.clear();
                row.putShort((short) 6).putInt(8).putLong(stage).putInt(2).putShort(MODEL_KEY).putInt(8).putLong(Integer.toUnsignedLong(a.nonces[i]))
                        .putInt(4).putInt(a.nonces[i] % NODES).putInt(24).put(a.vectors[i]).putInt(8).putLong(i);
                in.writeToCopy(row.array(), 0, row.position());
            }
            in.writeToCopy(new byte[] {-1, -1}, 0, 2);
            in.endCopy();
            try (Statement st = c.createStatement()) {
                st.execute("analyze poc.artifact");
            }
        }
    }

    static List<Smst.Leaf> readAll(Database db, int n) throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select nonce, vector from poc.artifact where stage_height = ? and model = ? "
                    + "and seq < ? order by seq")) {
                ps.setLong(1, STAGE);
                ps.setShort(2, MODEL_KEY);
                ps.setLong(3, n);
                ps.setFetchSize(10_000);
                List<Smst.Leaf> out = new ArrayList<>(n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Smst.Leaf((int) rs.getLong(1), rs.getBytes(2)));
                    }
                }
                c.commit();
                return out;
            }
        }
    }

    static List<Smst.Leaf> leaves(Arrivals a, int n) {
        List<Smst.Leaf> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Smst.Leaf(a.nonces[i], a.vectors[i]));
        }
        return out;
    }

    // ---------------------------------------------------------------- 2. the proofs API

    /** A host's proofs service over one committed snapshot; validators are known by their own (cold = warm) key. */
    static ProofService service(Smst tree, Map<String, byte[]> validators, SigningKey hostKey) {
        TreeSnapshot snap = new TreeSnapshot(tree);
        ProofStore store = new ProofStore() {
            @Override
            public long activeStage() {
                return STAGE;
            }

            @Override
            public Optional<State> latest(long stage, String modelId) {
                return Optional.of(new State(snap.count(), snap.root()));
            }

            @Override
            public Optional<Snapshot> at(long stage, String modelId, long count) {
                return count == snap.count() && MODEL.equals(modelId) ? Optional.of(snap) : Optional.empty();
            }
        };
        return new ProofService(store, v -> Optional.ofNullable(validators.get(v)).map(k -> Map.of(v, k)), hostKey, ProofsBench::nowNanos);
    }

    static void proofs(Smst tree, int validatorCount, StringBuilder report) throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        List<SigningKey> validators = new ArrayList<>();
        Map<String, byte[]> known = new HashMap<>();
        for (int i = 0; i < validatorCount; i++) {
            SigningKey k = key(rnd);
            validators.add(k);
            known.put(k.address(), k.publicKey());
        }
        ProofService service = service(tree, known, key(rnd));
        ProofClient.Target target = new ProofClient.Target("", STAGE, MODEL, tree.root(), tree.count());
        HttpClient unused = HttpClient.newHttpClient();

        // a. 500 proofs per request, in the service: parse, signature check, 500 proofs, the signed answer as JSON
        ProofClient asker = new ProofClient(unused, validators.get(0).address(), validators.get(0), ProofsBench::nowNanos);
        ObjectMapper json = new ObjectMapper();
        List<Double> millis = new ArrayList<>();
        long cpu = 0;
        int measured = 200;
        for (int i = 0; i < 50 + measured; i++) {
            long[] indices = Sampling.leafIndices(HexFormat.of().formatHex(validators.get(0).publicKey()), Long.toHexString(rnd.nextLong()),
                    STAGE, MODEL, tree.count(), ProofService.MAX_ITEMS);
            byte[] body = json.writeValueAsBytes(asker.request(target, indices));
            long c0 = CPU.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            ProofService.Answer answer = service.proofs(body); // its JSON bytes included
            byte[] wire = answer.json();
            long t1 = System.nanoTime();
            if (i >= 50) {
                millis.add((t1 - t0) / 1e6);
                cpu += CPU.getCurrentThreadCpuTime() - c0;
            }
            check(answer.status() == 200 && answer.proofs() == indices.length && wire.length > 0, "500 proofs answered");
        }
        Stats one = Stats.of(millis);
        double cpuPerProofMicros = cpu / 1e3 / (measured * (double) ProofService.MAX_ITEMS);

        // b. every validator asks 200 indices at the same moment, over HTTP, each from its own address
        RateLimiter limiter = new RateLimiter();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        int workers = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        server.setExecutor(pool);
        server.createContext("/v1/poc/proofs", ex -> {
            byte[] body = readAll(ex.getRequestBody());
            String ip = ex.getRequestHeaders().getFirst("X-Real-IP");
            ProofService.Answer answer = limiter.allow(ip == null ? "" : ip, System.nanoTime())
                    ? service.proofs(body) : ProofService.Answer.error(429, "rate limit exceeded");
            respond(ex, answer);
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/poc/proofs";
        List<Double> latencies = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<Double> rounds = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(validatorCount);
        List<HttpClient> connections = new ArrayList<>();
        for (int v = 0; v < validatorCount; v++) {
            connections.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        }
        int roundsCount = 12; // the first two warm the server and are not counted
        try {
            for (int round = 0; round < roundsCount; round++) {
                CountDownLatch gate = new CountDownLatch(1);
                List<Future<?>> sent = new ArrayList<>();
                List<byte[]> bodies = new ArrayList<>();
                for (int v = 0; v < validatorCount; v++) {
                    ProofClient pc = new ProofClient(unused, validators.get(v).address(), validators.get(v), ProofsBench::nowNanos);
                    long[] indices = Sampling.leafIndices(HexFormat.of().formatHex(validators.get(v).publicKey()), "round" + round, STAGE, MODEL,
                            tree.count(), 200);
                    bodies.add(json.writeValueAsBytes(pc.request(target, indices)));
                }
                boolean counted = round >= 2;
                long start = System.nanoTime();
                long[] last = {0};
                for (int v = 0; v < validatorCount; v++) {
                    int me = v;
                    sent.add(clients.submit(() -> {
                        gate.await();
                        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                                .header("X-Real-IP", "10.0." + (me / 250) + "." + (me % 250 + 1))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(me))).build();
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> r = connections.get(me).send(request, HttpResponse.BodyHandlers.ofByteArray());
                        long t1 = System.nanoTime();
                        synchronized (last) {
                            last[0] = Math.max(last[0], t1);
                        }
                        if (counted) {
                            latencies.add((t1 - t0) / 1e6);
                            statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        }
                        return null;
                    }));
                }
                gate.countDown();
                for (Future<?> f : sent) {
                    f.get();
                }
                if (counted) {
                    rounds.add((last[0] - start) / 1e6);
                }
                Thread.sleep(1_000); // within the API's 5 a second per address
            }
        } finally {
            clients.shutdownNow();
            server.stop(0);
            pool.shutdownNow();
        }
        Stats burst = Stats.of(latencies);
        Stats whole = Stats.of(rounds);
        long ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        long fivexx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue().get()).sum();
        report.append(String.format(Locale.ROOT, """
                ### Proofs API at scale

                The proofs service (`ProofService`, as poc-collector's `/v1/poc/proofs` runs it) over a committed snapshot
                of %,d artifacts: each request signed by a validator the chain knows, checked (signature, stage, count,
                root), answered with the proofs and signed by the host.

                | what | median | p99 | max |
                |---|---:|---:|---:|
                | one request of 500 proofs, server time (parse, verify, 500 proofs, sign, JSON), %d requests | **%.2f ms** | %.2f ms | %.2f ms |
                | %d validators × 200 indices at the same moment, over HTTP, each request (%d rounds) | %.1f ms | **%.1f ms** | %.1f ms |
                | … the whole burst, first request sent to last answer read | %.1f ms | | %.1f ms |

                CPU per proof served: **%.1f µs** (one thread, 500 a request). Answers in the bursts: %s — %d non-2xx of
                %d, %d 5xx. The HTTP server is the JDK's with %d worker threads and the API's rate limiter (5 a second, bursts
                of 30, per `X-Real-IP`) in front of the service; every validator sends from its own address, once a second.

                | target | measured | met |
                |---|---|---|
                | 500 proofs in ≤ 20 ms of server time at 1,000,000 artifacts | %.2f ms median, %.2f ms p99 | %s |
                | %d validators asking 200 each at once: p99 ≤ 250 ms, no 5xx | %.1f ms, %d 5xx | %s |

                """, tree.count(), measured, one.median, one.p99, one.max, validatorCount, roundsCount - 2, burst.median, burst.p99, burst.max,
                whole.median, whole.max, cpuPerProofMicros, statuses, latencies.size() - ok, latencies.size(), fivexx, workers,
                one.median, one.p99, one.p99 <= 20 && tree.count() >= 1_000_000 ? "yes" : one.p99 <= 20 ? "yes (at a smaller store)" : "**no**",
                validatorCount, burst.p99, fivexx, burst.p99 <= 250 && fivexx == 0 && ok == latencies.size() ? "yes" : "**no**"));
    }

    // ---------------------------------------------------------------- 3. validating the network

    static void network(int hostCount, StringBuilder report) throws Exception {
        SplittableRandom rnd = new SplittableRandom(99);
        SigningKey me = key(rnd);
        Map<String, byte[]> known = Map.of(me.address(), me.publicKey());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        server.setExecutor(pool);
        List<ProofClient.Target> targets = new ArrayList<>();
        for (int h = 0; h < hostCount; h++) {
            Arrivals a = Arrivals.of(HOST_ARTIFACTS, rnd.split());
            Smst tree = Smst.of(leaves(a, a.size()));
            ProofService service = service(tree, known, key(rnd));
            server.createContext("/peer/" + h + "/v1/poc/proofs", ex -> respond(ex, service.proofs(readAll(ex.getRequestBody()))));
            targets.add(new ProofClient.Target("http://127.0.0.1:%d/peer/" + h, STAGE, MODEL, tree.root(), tree.count()));
        }
        server.start();
        int port = server.getAddress().getPort();
        targets.replaceAll(t -> new ProofClient.Target(String.format(t.inferenceUrl(), port), t.stage(), t.modelId(), t.root(), t.count()));
        ProofClient client = new ProofClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), me.address(), me,
                ProofsBench::nowNanos);
        String myKey = HexFormat.of().formatHex(me.publicKey());
        List<Double> walls = new ArrayList<>();
        List<Double> verifyOnly = new ArrayList<>();
        int workers = 10; // HostValidator.WORKERS
        try {
            for (int r = 0; r < REPEAT + 1; r++) {
                String blockHash = Long.toHexString(rnd.nextLong());
                ExecutorService validating = Executors.newFixedThreadPool(workers);
                long t0 = System.nanoTime();
                List<Future<ProofClient.Verdict>> verdicts = new ArrayList<>();
                List<long[]> asked = new ArrayList<>();
                for (ProofClient.Target t : targets) {
                    long[] indices = Sampling.leafIndices(myKey, blockHash, t.stage(), t.modelId(), t.count(), 200);
                    asked.add(indices);
                    verdicts.add(validating.submit(() -> client.validate(t, indices)));
                }
                List<com.fasterxml.jackson.databind.JsonNode> answers = new ArrayList<>();
                for (Future<ProofClient.Verdict> f : verdicts) {
                    ProofClient.Verdict v = f.get();
                    check(v instanceof ProofClient.Passed, "every peer's proofs verify: " + v);
                }
                double wall = (System.nanoTime() - t0) / 1e9;
                validating.shutdown();
                // the checks alone, on answers fetched beforehand (one thread)
                for (int h = 0; h < targets.size(); h++) {
                    answers.add(new ObjectMapper().readTree(fetch(targets.get(h), client, asked.get(h))).get("proofs"));
                }
                long c0 = CPU.getCurrentThreadCpuTime();
                for (int h = 0; h < targets.size(); h++) {
                    check(ProofClient.check(targets.get(h), asked.get(h), answers.get(h)) instanceof ProofClient.Passed, "verifies");
                }
                double verify = (CPU.getCurrentThreadCpuTime() - c0) / 1e9;
                if (r > 0) { // the first run warms up
                    walls.add(wall);
                    verifyOnly.add(verify);
                }
            }
        } finally {
            server.stop(0);
            pool.shutdownNow();
        }
        Stats w = Stats.of(walls);
        Stats v = Stats.of(verifyOnly);
        long proofs = hostCount * 200L;
        double window = VALIDATION_BLOCKS * BLOCK_SECONDS;
        report.append(String.format(Locale.ROOT, """
                ### Validating the network

                %d simulated peer hosts (%,d artifacts each) serve their proofs over HTTP; this host samples 200 leaves of
                each commitment as the chain's sampling does, fetches them with signed requests and verifies every proof
                against the committed root and count (`ProofClient`, with `HostValidator`'s %d workers). %d runs after one
                warm-up; the peers' serving shares the same two cores.

                | what | median | min – max | proofs verified per second |
                |---|---:|---:|---:|
                | fetch and verify %,d proofs (200 from each of %d hosts) | **%.2f s** | %.2f – %.2f s | %,.0f |
                | … the checks alone, one thread, answers fetched beforehand | %.2f s | %.2f – %.2f s | %,.0f |

                | target | measured | met |
                |---|---|---|
                | 200 proofs from each of %d hosts within a tenth of the validation window (mainnet: %d blocks × %d s = %.0f s, a tenth %.0f s) | %.2f s | %s |

                """, hostCount, HOST_ARTIFACTS, workers, REPEAT, proofs, hostCount, w.median, w.min, w.max, proofs / w.median,
                v.median, v.min, v.max, proofs / v.median, hostCount, VALIDATION_BLOCKS, BLOCK_SECONDS, window, window / 10, w.median,
                w.median <= window / 10 ? "yes" : "**no**"));
    }

    static byte[] fetch(ProofClient.Target t, ProofClient client, long[] indices) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(t.inferenceUrl() + "/v1/poc/proofs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new ObjectMapper().writeValueAsBytes(client.request(t, indices)))).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    // ---------------------------------------------------------------- helpers

    static void respond(HttpExchange ex, ProofService.Answer answer) throws IOException {
        byte[] out = answer.json(); // as poc-collector's ProofsResource writes it
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(answer.status(), out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    static SigningKey key(SplittableRandom rnd) {
        byte[] secret = new byte[32];
        rnd.nextBytes(secret);
        secret[0] &= 0x7f; // below the curve order
        secret[31] |= 1; // not zero
        return SigningKey.of(secret);
    }

    static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("check failed: " + what);
        }
    }

    record Stats(double median, double p99, double min, double max) {
        static Stats of(List<Double> values) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (v.length == 0) {
                return new Stats(0, 0, 0, 0);
            }
            return new Stats(v[v.length / 2], v[Math.min(v.length - 1, (int) Math.ceil(v.length * 0.99) - 1)], v[0], v[v.length - 1]);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
