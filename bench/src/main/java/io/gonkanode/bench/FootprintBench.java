package io.gonkanode.bench;

import io.gonkanode.local.Database;
import io.gonkanode.local.ServiceProcess;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Footprint of each service as packaged (JVM mode, {@code -Xmx384m -XX:+UseSerialGC} as the local stack
 * runs them): time from launching the JVM to its first successful real request, resident memory once
 * started and idle, and resident memory under load. The services are started one at a time, so no
 * start-up competes with another for the two cores; the load then runs against all of them at once:
 * chat completions through api-node (to mlnode-sim, no generation delay), Admin API listings on
 * node-registry and epoch reads on poc-collector. Writes {@code bench/out/footprint.md}.
 *
 * <pre>java -cp bench/target/bench.jar:bench/target/lib/* io.gonkanode.bench.FootprintBench [load-seconds]</pre>
 */
public final class FootprintBench {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    static final class Service {
        final String name;
        final ServiceProcess proc;
        final Supplier<Integer> first;
        final String firstRequest;
        long startupMillis;
        long restartMillis;
        long idleRssKb;

        Service(String name, ServiceProcess proc, Supplier<Integer> first, String firstRequest) {
            this.name = name;
            this.proc = proc;
            this.first = first;
            this.firstRequest = firstRequest;
        }

        /** Launches the JVM; the milliseconds until the first request answered 200. */
        long start() throws InterruptedException {
            long start = System.nanoTime();
            proc.start();
            long deadline = start + 120_000_000_000L;
            while (first.get() != 200) {
                if (!proc.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " did not answer " + firstRequest + "; see " + proc.logFile());
                }
                Thread.sleep(5);
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    /** One service's figures in one repetition. */
    record Result(String name, String firstRequest, long startupMillis, long restartMillis, long idleRssKb, long peakRssKb,
                  double servedPerSecond) {
    }

    public static void main(String[] args) throws Exception {
        int loadSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path out = Path.of(System.getProperty("bench.out", "bench/out"));
        Path root = Path.of(System.getProperty("gonka.root", "."));
        Files.createDirectories(out);
        List<List<Result>> runs = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
            runs.add(once(root, loadSeconds));
            System.out.println("repetition " + (i + 1) + ": " + runs.get(i));
        }
        String report = report(runs, loadSeconds);
        Files.writeString(out.resolve("footprint.md"), report);
        System.out.println(report);
    }

    /** Everything from an empty database: start each service, idle, load, restart each; the figures of each service. */
    static List<Result> once(Path root, int loadSeconds) throws Exception {
        Path dir = Files.createTempDirectory("gonka-footprint");
        List<Service> services = new ArrayList<>();
        // the chain the collector follows, held in epoch 0's inference phase: the ML node serves inference throughout
        try (Database db = Database.embedded(dir.resolve("postgres"), freePort()); ChainSim chain = ChainSim.start(root, dir, 5)) {
            try {
                return measure(root, dir, db, chain, services, loadSeconds);
            } finally {
                // the services go before their database and chain do
                for (int i = services.size() - 1; i >= 0; i--) {
                    services.get(i).proc.stop();
                }
            }
        } finally {
            ProofsBench.deleteTree(dir);
        }
    }

    /** Starts the services into {@code services} (the caller stops them, whatever happens) and takes their figures. */
    static List<Result> measure(Path root, Path dir, Database db, ChainSim chain, List<Service> services, int loadSeconds) throws Exception {
        int simPort = freePort();
        int simInference = freePort();
        int registryPort = freePort();
        int collectorPort = freePort();
        int apiPort = freePort();
        Map<String, String> sim = Map.of("SIM_INFERENCE_PORT", Integer.toString(simInference), "SIM_INFERENCE_UP_DELAY", "0s",
                "SIM_TIME_TO_FIRST_TOKEN", "0s", "SIM_TOKENS_PER_SECOND", "0", "QUARKUS_LOG_LEVEL", "WARN");
        Pair env = Pair.of(db, chain, registryPort, collectorPort);
        Map<String, String> registry = env.registry();
        Map<String, String> collector = env.collector();
        Map<String, String> api = Map.of("NODE_REGISTRY_URL", "http://127.0.0.1:" + registryPort,
                "POC_COLLECTOR_URL", "http://127.0.0.1:" + collectorPort, "QUARKUS_LOG_LEVEL", "WARN");

        String chat = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"What is proof of compute?\"}]}";
        services.add(launch(root, dir, "mlnode-sim", simPort, sim, () -> get("http://127.0.0.1:" + simPort + "/api/v1/state"),
                "GET /api/v1/state"));
        services.add(launch(root, dir, "node-registry", registryPort, registry,
                () -> get("http://127.0.0.1:" + registryPort + "/admin/v1/nodes"), "GET /admin/v1/nodes"));
        services.add(launch(root, dir, "poc-collector", collectorPort, collector,
                () -> get("http://127.0.0.1:" + collectorPort + "/v1/epochs/latest"), "GET /v1/epochs/latest"));
        // the ML node is registered and serving before api-node starts, so its first chat can succeed at once
        int reg = post("http://127.0.0.1:" + registryPort + "/admin/v1/nodes", """
                {"id": "sim", "host": "127.0.0.1", "inference_port": %d, "poc_port": %d, "max_concurrent": 64,
                 "models": {"%s": {"args": []}}}""".formatted(simInference, simPort, MODEL));
        if (reg != 200) {
            throw new IllegalStateException("registering the ML node answered " + reg);
        }
        awaitInference(registryPort);
        services.add(launch(root, dir, "api-node", apiPort, api,
                () -> post("http://127.0.0.1:" + apiPort + "/v1/chat/completions", chat), "POST /v1/chat/completions"));

        // load, all at once
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicLong> served = new LinkedHashMap<>();
        List<Thread> threads = new ArrayList<>();
        load(threads, served, stop, "api-node", 16, () -> post("http://127.0.0.1:" + apiPort + "/v1/chat/completions", chat));
        load(threads, served, stop, "node-registry", 2, () -> get("http://127.0.0.1:" + registryPort + "/admin/v1/nodes"));
        load(threads, served, stop, "poc-collector", 2, () -> get("http://127.0.0.1:" + collectorPort + "/v1/epochs/latest"));
        Map<String, Long> peak = new LinkedHashMap<>();
        long end = System.nanoTime() + loadSeconds * 1_000_000_000L;
        threads.forEach(Thread::start);
        while (System.nanoTime() < end) {
            for (Service s : services) {
                peak.merge(s.name, rssKb(s.proc.pid()), Math::max);
            }
            Thread.sleep(200);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        // a restart, as an operator's upgrade or a crash makes: the schema is there, the ML node registered
        for (Service s : services) {
            s.proc.stop();
            if (s.name.equals("api-node")) {
                awaitInference(registryPort); // the restarted registry has brought the restarted ML node up again
            }
            s.restartMillis = s.start();
        }
        List<Result> results = new ArrayList<>();
        for (Service s : services) {
            AtomicLong n = served.get(s.name);
            results.add(new Result(s.name, s.firstRequest, s.startupMillis, s.restartMillis, s.idleRssKb, peak.getOrDefault(s.name, 0L),
                    n == null ? -1 : n.get() / (double) loadSeconds));
        }
        return results;
    }

    /** The environments of node-registry and poc-collector running as a pair on {@code db}, following {@code chain}. */
    record Pair(Map<String, String> registry, Map<String, String> collector) {

        static Pair of(Database db, ChainSim chain, int registryPort, int collectorPort) {
            Map<String, String> common = new LinkedHashMap<>(db.environment());
            common.put("ACCOUNT_PUBKEY", IngestBench.KEY);
            common.put("QUARKUS_LOG_LEVEL", "WARN");
            Map<String, String> registry = new LinkedHashMap<>(common);
            registry.put("DAPI_API__POC_CALLBACK_URL", "http://127.0.0.1:" + collectorPort);
            registry.put("POC_COLLECTOR_URL", "http://127.0.0.1:" + collectorPort);
            Map<String, String> collector = new LinkedHashMap<>(common);
            collector.put("NODE_REGISTRY_URL", "http://127.0.0.1:" + registryPort);
            collector.putAll(chain.collectorEnv());
            return new Pair(registry, collector);
        }
    }

    /**
     * Starts one service and times it from launch to its first 200 on a real request; then 5 s idle. The JVM options
     * are the local stack's ({@code -Dfootprint.jvm} replaces them, {@code -Dfootprint.jvm.<service>} adds to them).
     */
    static Service launch(Path root, Path dir, String name, int port, Map<String, String> env, Supplier<Integer> first,
                          String firstRequest) throws InterruptedException {
        String options = jvmOptions() + " " + System.getProperty("footprint.jvm." + name, "");
        ServiceProcess p = ServiceProcess.builder(name, root.resolve(name + "/target/quarkus-app/quarkus-run.jar")).port(port)
                .env(env).env("QUARKUS_LOG_LEVEL", System.getProperty("footprint.log", "WARN"))
                .jvmOptions(options.trim().split(" +")).logFile(dir.resolve(name + ".log")).build();
        Service s = new Service(name, p, first, firstRequest);
        s.startupMillis = s.start();
        Thread.sleep(5000); // settled: the start-up work is done, nothing is asked of it
        s.idleRssKb = rssKb(p.pid());
        return s;
    }

    /** The services' JVM options: the local stack's unless {@code -Dfootprint.jvm} replaces them. */
    static String jvmOptions() {
        return System.getProperty("footprint.jvm", String.join(" ", ServiceProcess.SERVICE_JVM_OPTIONS));
    }

    /** Waits until node-registry lists the ML node in INFERENCE, so a chat through api-node can succeed at once. */
    static void awaitInference(int registryPort) throws InterruptedException {
        awaitTrue(() -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registryPort + "/admin/v1/nodes")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().contains("\"INFERENCE\"");
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(60), "the ML node never reached INFERENCE");
    }

    static void load(List<Thread> threads, Map<String, AtomicLong> served, AtomicBoolean stop, String name, int n, Supplier<Integer> call) {
        AtomicLong ok = served.computeIfAbsent(name, k -> new AtomicLong());
        for (int i = 0; i < n; i++) {
            threads.add(new Thread(() -> {
                while (!stop.get()) {
                    if (call.get() == 200) {
                        ok.incrementAndGet();
                    }
                }
            }, "load-" + name + "-" + i));
        }
    }

    static int get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static int post(String url, String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static void awaitTrue(Supplier<Boolean> condition, Duration timeout, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(failure);
            }
            Thread.sleep(100);
        }
    }

    /** Resident set size of a process in KiB, from /proc (Linux). */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    static String report(List<List<Result>> runs, int loadSeconds) {
        StringBuilder sb = new StringBuilder("### Start-up and memory (JVM mode)\n\n");
        String options = jvmOptions();
        sb.append(String.format(Locale.ROOT, "Java %s, `%s` and each jar's class-data archive (`app-cds.jsa`), as the local stack runs them. "
                + "Each of %d repetitions starts from an empty database: the services start one at a time (the first start runs the "
                + "migrations), idle 5 s, take load for %d s all at once (16 clients chatting through api-node to mlnode-sim, 2 listing "
                + "nodes on node-registry, 2 reading epochs on poc-collector), then restart one at a time. Median (min–max).%n%n",
                System.getProperty("java.version"), options, runs.size(), loadSeconds));
        sb.append("| service | first successful request | launch → first success | restart → first success | RSS idle | RSS peak under load "
                + "| answered under load |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < runs.get(0).size(); i++) {
            int k = i;
            List<Result> of = runs.stream().map(r -> r.get(k)).toList();
            Result r = of.get(0);
            double served = median(of.stream().mapToDouble(Result::servedPerSecond).toArray());
            sb.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %s | %s | %s | %s |%n", r.name(), r.firstRequest(),
                    spread(of.stream().mapToDouble(x -> x.startupMillis() / 1000.0).toArray(), "%.2f s"),
                    spread(of.stream().mapToDouble(x -> x.restartMillis() / 1000.0).toArray(), "%.2f s"),
                    spread(of.stream().mapToDouble(x -> x.idleRssKb() / 1024.0).toArray(), "%.0f MiB"),
                    spread(of.stream().mapToDouble(x -> x.peakRssKb() / 1024.0).toArray(), "%.0f MiB"),
                    served < 0 ? "(behind api-node)" : String.format(Locale.ROOT, "%,.0f req/s", served)));
        }
        return sb.append('\n').toString();
    }

    /** "median unit (min–max unit)", or the one value. */
    static String spread(double[] values, String format) {
        String median = String.format(Locale.ROOT, format, median(values));
        if (values.length < 2) {
            return median;
        }
        String bare = format.replace(" s", "").replace(" MiB", ""); // the unit once, after the max
        return median + String.format(Locale.ROOT, " (" + bare + "–" + format + ")", java.util.Arrays.stream(values).min().getAsDouble(),
                java.util.Arrays.stream(values).max().getAsDouble());
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
