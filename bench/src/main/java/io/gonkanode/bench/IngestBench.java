package io.gonkanode.bench;

import io.gonkanode.local.Database;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.testing.StubRegistry;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PoC ingestion: v2 artifact batches posted into the packaged poc-collector the way ML nodes post them,
 * against a raw {@code COPY} of the same rows (same columns, same primary key, committed per batch)
 * into the same PostgreSQL from the same machine, in the same run. Afterwards every acknowledged
 * artifact must be stored exactly once.
 *
 * <pre>java -cp bench/target/bench.jar:bench/target/lib/* io.gonkanode.bench.IngestBench [seconds] [batch] [senders] [paced-nodes]</pre>
 */
public final class IngestBench {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final String MODEL_SEGMENT = "Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8";
    static final String KEY = "AgOaIoGHIEb2t+Uj/iYPzWpVxgUfgPKKyLxH1mjm1nxC";
    static final String KEY_HEX = "02039a2281872046f6b7e523fe260fcd6a55c6051f80f28ac8bc47d668e6d67c42";
    static final String VECTOR = Base64.getEncoder().encodeToString(new byte[] {
            1, 60, 2, 59, 3, 58, 4, 57, 5, 56, 6, 55, 7, 54, 8, 53, 9, 52, 10, 51, 11, 50, 12, 49});

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int senders = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int pacedNodes = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Path out = Path.of(System.getProperty("bench.out", "bench/out"));
        Files.createDirectories(out);
        Path root = Path.of(System.getProperty("gonka.root", "."));
        Path dir = Files.createTempDirectory("gonka-ingest");

        int nodes = Math.max(senders, pacedNodes);
        try (Database db = Database.embedded(dir.resolve("postgres"), freePort());
             StubRegistry registry = new StubRegistry();
             // held in the first PoC stage's generation window: no block comes while the batches do
             ChainSim chain = ChainSim.start(root, dir, ChainSim.FIRST_POC + 1)) {
            List<StubRegistry.Node> view = new ArrayList<>();
            for (int i = 1; i <= nodes; i++) {
                view.add(StubRegistry.Node.serving("n" + i, i, 1, 2, MODEL));
            }
            registry.nodes(view);
            Map<String, String> env = new java.util.LinkedHashMap<>(db.environment());
            env.putAll(Map.of("NODE_REGISTRY_URL", registry.url(), "ACCOUNT_PUBKEY", KEY, "QUARKUS_LOG_LEVEL", "WARN"));
            env.putAll(chain.collectorEnv());
            int port = freePort();
            ServiceProcess collector = ServiceProcess.builder("collector", root.resolve("poc-collector/target/quarkus-app/quarkus-run.jar"))
                    .port(port).env(env).jvmOptions("-Xmx1g", "-XX:+UseSerialGC").logFile(dir.resolve("collector.log")).build(); // 1g: the first run's stage tree
            collector.start().awaitReady(Duration.ofSeconds(120));
            String url = collector.url() + "/v2/poc-batches/" + MODEL_SEGMENT + "/generated";
            String hash = chain.hash(ChainSim.FIRST_POC);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long deadline = System.currentTimeMillis() + 60_000;
            while (post(http, url, body(hash, 1, 0, 0)).status != 200) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the collector never opened its generation window");
                }
                Thread.sleep(200);
            }

            AtomicLong nonces = new AtomicLong();
            long collectorPid = collector.pid();
            // 0. flat out with the commitment tree kept current as the commit worker keeps it (the stage tree brought up
            // to date every 5 s: here by the public state route, which reads the same tree; no chain tx is sent)
            String state = collector.url() + "/v1/poc/artifacts/state?height=" + ChainSim.FIRST_POC + "&model_id="
                    + java.net.URLEncoder.encode(MODEL, java.nio.charset.StandardCharsets.UTF_8);
            Committer.count(http, state); // the commit worker's first look as the window opens: the tree exists, empty
            Committer committer = Committer.start(http, state);
            Cpu beforeTree = Cpu.now(collectorPid);
            Result withTree = run(http, url, hash, nonces, senders, batch, Math.max(20, seconds / 2), 0);
            Cpu treeCpu = Cpu.now(collectorPid).minus(beforeTree);
            committer.stop();
            long treeCount = Committer.count(http, state);
            // 1. flat out: every sender posts its next batch as soon as the last one was acknowledged
            Cpu before = Cpu.now(collectorPid);
            Result flat = run(http, url, hash, nonces, senders, batch, seconds, 0);
            Cpu flatCpu = Cpu.now(collectorPid).minus(before);
            // 2. paced as ML nodes send: every node a batch every 5 s (POC_CALLBACK_INTERVAL_SEC)
            Result paced = run(http, url, hash, nonces, pacedNodes, batch, Math.max(20, seconds / 2), 5000);

            long acknowledged = withTree.artifacts + flat.artifacts + paced.artifacts;
            long stored;
            long distinct;
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*), count(distinct nonce) from poc.artifact where stage_height = " + ChainSim.FIRST_POC)) {
                rs.next();
                stored = rs.getLong(1);
                distinct = rs.getLong(2);
            }
            collector.stop();

            // 3. the same rows by raw COPY into a table of the same shape, same concurrency, one commit per batch
            Cpu beforeCopy = Cpu.now(-1);
            Result copy = copy(db, senders, batch, flat.artifacts);
            Cpu copyCpu = Cpu.now(-1).minus(beforeCopy);

            String report = report(seconds, batch, senders, pacedNodes, flat, paced, copy, acknowledged, stored, distinct)
                    + treeReport(senders, withTree, treeCpu, committer, treeCount, flat, flatCpu, copy)
                    + cpuReport(flat, flatCpu, copy, copyCpu);
            Files.writeString(out.resolve("ingest.md"), report);
            System.out.println(report);
            if (stored != acknowledged || distinct != stored || treeCount != withTree.artifacts) {
                System.exit(1);
            }
        }
    }

    /** Brings the collector's stage tree up to date every 5 s, as its commit worker does, and times each catch-up. */
    static final class Committer {
        final List<Long> millis = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        Thread thread;

        static Committer start(HttpClient http, String state) {
            Committer c = new Committer();
            c.thread = new Thread(() -> {
                while (!c.stop.get()) {
                    try {
                        Thread.sleep(5_000);
                        long t0 = System.nanoTime();
                        count(http, state);
                        c.millis.add((System.nanoTime() - t0) / 1_000_000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // counted as missing below
                    }
                }
            }, "committer");
            c.thread.start();
            return c;
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.interrupt();
            thread.join();
        }

        /** The tree's count as the state route answers it. */
        static long count(HttpClient http, String state) throws Exception {
            String body = http.send(HttpRequest.newBuilder(URI.create(state)).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"count\"\\s*:\\s*(\\d+)").matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("no count in " + body);
            }
            return Long.parseLong(m.group(1));
        }
    }

    static String treeReport(int senders, Result withTree, Cpu cpu, Committer committer, long treeCount, Result flat, Cpu flatCpu, Result copy) {
        long slowest = committer.millis.stream().mapToLong(Long::longValue).max().orElse(0);
        double m = withTree.artifacts / 1e6;
        return String.format(Locale.ROOT, """

                With the commitment tree kept current as poc-collector's commit worker keeps it (the stage's SMST brought up
                to date every 5 s, %d times; the slowest catch-up %d ms), %d senders back to back stored **%,.0f artifacts/s**,
                **%.0f %%** of the raw COPY rate (target ≥ 50 %%; %.0f %% of the same senders without the tree), with %.2f
                CPU-seconds per million artifacts in poc-collector (%.2f without). Afterwards the tree held %,d artifacts
                of the %,d acknowledged in that run%s.
                """, committer.millis.size(), slowest, senders, withTree.rate(), withTree.rate() / copy.rate() * 100,
                withTree.rate() / flat.rate() * 100, cpu.collector / m, flatCpu.collector / (flat.artifacts / 1e6), treeCount, withTree.artifacts,
                treeCount == withTree.artifacts ? "" : " — MISMATCH");
    }

    record Answer(int status, long nanos) {
    }

    /**
     * CPU seconds spent (from /proc, Linux): by the collector's JVM, by this JVM (the load generator, or
     * the COPY client), and by everything else on the machine, which in these runs is PostgreSQL.
     */
    record Cpu(double collector, double generator, double postgres, double total) {
        static Cpu now(long collectorPid) {
            return new Cpu(collectorPid > 0 ? processSeconds(collectorPid) : 0, processSeconds(ProcessHandle.current().pid()),
                    postgresSeconds(), machineSeconds());
        }

        Cpu minus(Cpu o) {
            return new Cpu(collector - o.collector, generator - o.generator, postgres - o.postgres, total - o.total);
        }

        double rest() {
            return Math.max(0, total - collector - generator - postgres);
        }

        /** Every PostgreSQL process, living or gone (children's time is added to the postmaster when they end). */
        static double postgresSeconds() {
            double sum = 0;
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    try {
                        String stat = Files.readString(d.resolve("stat"));
                        if (stat.contains("(postgres)")) {
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            sum += (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
                        }
                    } catch (Exception e) {
                        // not a process, or gone
                    }
                }
            } catch (java.io.IOException e) {
                return 0;
            }
            return sum;
        }

        static double processSeconds(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, in clock ticks
            } catch (Exception e) {
                return 0;
            }
        }

        static double machineSeconds() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < f.length; i++) {
                    if (i != 4 && i != 5) { // all but idle and iowait
                        busy += Long.parseLong(f[i]);
                    }
                }
                return busy / 100.0;
            } catch (Exception e) {
                return 0;
            }
        }
    }

    static String cpuReport(Result flat, Cpu flatCpu, Result copy, Cpu copyCpu) {
        double fm = flat.artifacts / 1e6;
        double cm = copy.artifacts / 1e6;
        return String.format(Locale.ROOT, """

                Where the two cores went, in CPU seconds per million artifacts stored:

                | path | poc-collector (HTTP, JSON, base64, COPY) | load generator / COPY client | PostgreSQL | kernel and the rest | total |
                |---|---:|---:|---:|---:|---:|
                | poc-collector, back to back | %.2f | %.2f | %.2f | %.2f | %.2f |
                | raw `COPY` | – | %.2f | %.2f | %.2f | %.2f |
                """, flatCpu.collector / fm, flatCpu.generator / fm, flatCpu.postgres / fm, flatCpu.rest() / fm, flatCpu.total / fm,
                copyCpu.generator / cm, copyCpu.postgres / cm, copyCpu.rest() / cm, copyCpu.total / cm);
    }

    record Result(long artifacts, long batches, long failed, double seconds, long p50Micros, long p99Micros) {
        double rate() {
            return artifacts / seconds;
        }
    }

    static Answer post(HttpClient http, String url, String body) {
        long start = System.nanoTime();
        try {
            int status = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return new Answer(status, System.nanoTime() - start);
        } catch (Exception e) {
            return new Answer(0, System.nanoTime() - start);
        }
    }

    static String body(String hash, int node, long firstNonce, int n) {
        StringBuilder sb = new StringBuilder(96 + n * 64);
        sb.append("{\"block_hash\":\"").append(hash).append("\",\"block_height\":").append(ChainSim.FIRST_POC)
                .append(",\"public_key\":\"").append(KEY_HEX)
                .append("\",\"node_id\":").append(node).append(",\"artifacts\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"nonce\":").append(firstNonce + i).append(",\"vector_b64\":\"").append(VECTOR).append("\"}");
        }
        return sb.append("],\"encoding\":{\"dtype\":\"f16\",\"k_dim\":12,\"endian\":\"le\"}}").toString();
    }

    /** {@code senders} threads (one per node) for {@code seconds}; {@code intervalMillis} 0: back to back. */
    static Result run(HttpClient http, String url, String hash, AtomicLong nonces, int senders, int batch, int seconds,
                      long intervalMillis) throws InterruptedException {
        AtomicLong artifacts = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(senders);
        long start = System.nanoTime();
        for (int s = 0; s < senders; s++) {
            int node = s + 1;
            long offset = intervalMillis == 0 ? 0 : intervalMillis * s / senders; // nodes do not send in lockstep
            Thread t = new Thread(() -> {
                try {
                    long next = System.currentTimeMillis() + offset;
                    while (!stop.get()) {
                        if (intervalMillis > 0) {
                            long wait = next - System.currentTimeMillis();
                            if (wait > 0) {
                                Thread.sleep(wait);
                            }
                            next += intervalMillis;
                            if (stop.get()) {
                                break;
                            }
                        }
                        long first = nonces.getAndAdd(batch);
                        String body = body(hash, node, first, batch);
                        Answer a;
                        // as an ML node does: the same batch again until it is acknowledged
                        while ((a = post(http, url, body)).status != 200) {
                            failed.incrementAndGet();
                            if (stop.get() && a.status == 0) {
                                break;
                            }
                        }
                        if (a.status == 200) {
                            artifacts.addAndGet(batch);
                            batches.incrementAndGet();
                            latencies.add(a.nanos / 1000);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "sender-" + node);
            t.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        double elapsed = (System.nanoTime() - start) / 1e9; // the sending window; batches in flight at its end still count
        done.await();
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(null);
        return new Result(artifacts.get(), batches.get(), failed.get(), elapsed, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    static long percentile(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    /** Raw COPY of {@code total} rows, {@code batch} per COPY and commit, {@code threads} connections at once. */
    static Result copy(Database db, int threads, int batch, long total) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("create table public.artifact_copy (like poc.artifact including all)");
        }
        AtomicLong next = new AtomicLong();
        AtomicLong rows = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        byte[] vector = Base64.getDecoder().decode(VECTOR);
        List<Thread> workers = new ArrayList<>();
        List<Exception> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int node = t + 1;
            Thread w = new Thread(() -> {
                try (Connection c = db.connect()) {
                    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                    long first;
                    while ((first = next.getAndAdd(batch)) < total) {
                        int n = (int) Math.min(batch, total - first);
                        // the binary format, as poc-collector writes it: the strongest baseline
                        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(21 + n * (2 + 12 + 6 + 12 + 8 + 4 + vector.length));
                        data.put(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0});
                        for (int i = 0; i < n; i++) {
                            data.putShort((short) 5).putInt(8).putLong(1).putInt(2).putShort((short) 1).putInt(8).putLong(first + i)
                                    .putInt(4).putInt(node).putInt(vector.length).put(vector);
                        }
                        data.putShort((short) -1);
                        long s = System.nanoTime();
                        org.postgresql.copy.CopyIn in = copy.copyIn(
                                "copy public.artifact_copy (stage_height, model, nonce, node_num, vector) from stdin (format binary)");
                        in.writeToCopy(data.array(), 0, data.position());
                        in.endCopy();
                        latencies.add((System.nanoTime() - s) / 1000);
                        rows.addAndGet(n);
                    }
                } catch (Exception e) {
                    errors.add(e);
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(null);
        return new Result(rows.get(), sorted.size(), 0, elapsed, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    static String report(int seconds, int batch, int senders, int pacedNodes, Result flat, Result paced, Result copy,
                         long acknowledged, long stored, long distinct) {
        double ratio = flat.rate() / copy.rate();
        return String.format(Locale.ROOT, """
                ### PoC ingestion

                | path | artifacts | seconds | artifacts/s | per batch p50 | per batch p99 | refused, resent |
                |---|---:|---:|---:|---:|---:|---:|
                | poc-collector, %d senders back to back, %d artifacts a batch | %d | %.1f | **%,.0f** | %.1f ms | %.1f ms | %d |
                | raw `COPY`, %d connections, %d rows a COPY and commit | %d | %.1f | **%,.0f** | %.1f ms | %.1f ms | – |
                | poc-collector, %d nodes each posting %d artifacts every 5 s | %d | %.1f | %,.0f | %.1f ms | %.1f ms | %d |

                The paced run offers %,d artifacts/s (%d batches/s); %,.0f artifacts/s were acknowledged, %d batches had to be resent.

                poc-collector stores **%.0f %%** of the raw COPY rate (target ≥ 50 %%) at **%,.0f artifacts/s** (target ≥ 100,000).
                Exactly once: %,d artifacts acknowledged, %,d rows stored, %,d distinct nonces — %s.
                """, senders, batch, flat.artifacts, flat.seconds, flat.rate(), flat.p50Micros / 1000.0, flat.p99Micros / 1000.0, flat.failed,
                senders, batch, copy.artifacts, copy.seconds, copy.rate(), copy.p50Micros / 1000.0, copy.p99Micros / 1000.0,
                pacedNodes, batch, paced.artifacts, paced.seconds, paced.rate(), paced.p50Micros / 1000.0, paced.p99Micros / 1000.0, paced.failed,
                pacedNodes * batch / 5, pacedNodes / 5, paced.rate(), paced.failed, ratio * 100, flat.rate(), acknowledged, stored, distinct,
                stored == acknowledged && distinct == stored ? "none lost, none twice" : "MISMATCH");
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
