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

    record Service(String name, ServiceProcess proc, String firstRequest, long startupMillis, long idleRssKb) {
    }

    public static void main(String[] args) throws Exception {
        int loadSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path out = Path.of(System.getProperty("bench.out", "bench/out"));
        Path root = Path.of(System.getProperty("gonka.root", "."));
        Files.createDirectories(out);
        Path dir = Files.createTempDirectory("gonka-footprint");
        int simPort = freePort();
        int simInference = freePort();
        int registryPort = freePort();
        int collectorPort = freePort();
        int apiPort = freePort();
        List<Service> services = new ArrayList<>();
        // the chain the collector follows, held in epoch 0's inference phase: the ML node serves inference throughout
        try (Database db = Database.embedded(dir.resolve("postgres"), freePort()); ChainSim chain = ChainSim.start(root, dir, 5)) {
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
            awaitTrue(() -> {
                try {
                    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registryPort + "/admin/v1/nodes")).build(),
                            HttpResponse.BodyHandlers.ofString()).body().contains("\"INFERENCE\"");
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(60), "the ML node never reached INFERENCE");
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
            String report = report(services, peak, served, loadSeconds);
            Files.writeString(out.resolve("footprint.md"), report);
            System.out.println(report);
        } finally {
            for (int i = services.size() - 1; i >= 0; i--) {
                services.get(i).proc.stop();
            }
        }
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

    /** Starts one service and times it from launch to its first 200 on a real request; then 5 s idle. */
    static Service launch(Path root, Path dir, String name, int port, Map<String, String> env, Supplier<Integer> first,
                          String firstRequest) throws InterruptedException {
        ServiceProcess p = ServiceProcess.builder(name, root.resolve(name + "/target/quarkus-app/quarkus-run.jar")).port(port)
                .env(env).jvmOptions("-Xmx384m", "-XX:+UseSerialGC").logFile(dir.resolve(name + ".log")).build();
        long start = System.nanoTime();
        p.start();
        long deadline = start + 120_000_000_000L;
        while (first.get() != 200) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not answer " + firstRequest + "; see " + dir.resolve(name + ".log"));
            }
            Thread.sleep(5);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(5000); // settled: the start-up work is done, nothing is asked of it
        return new Service(name, p, firstRequest, millis, rssKb(p.pid()));
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

    static String report(List<Service> services, Map<String, Long> peak, Map<String, AtomicLong> served, int loadSeconds) {
        StringBuilder sb = new StringBuilder("### Footprint (JVM mode)\n\n");
        sb.append(String.format(Locale.ROOT, "Java %s, `-Xmx384m -XX:+UseSerialGC`; services started one at a time; load for %d s on all at once "
                + "(16 clients chatting through api-node to mlnode-sim, 2 listing nodes on node-registry, 2 reading epochs on poc-collector).%n%n",
                System.getProperty("java.version"), loadSeconds));
        sb.append("| service | first successful request | launch → first success | RSS idle | RSS peak under load | answered under load |\n");
        sb.append("|---|---|---:|---:|---:|---:|\n");
        for (Service s : services) {
            AtomicLong n = served.get(s.name);
            sb.append(String.format(Locale.ROOT, "| %s | `%s` | %.2f s | %d MiB | %d MiB | %s |%n", s.name, s.firstRequest,
                    s.startupMillis / 1000.0, s.idleRssKb / 1024, peak.getOrDefault(s.name, 0L) / 1024,
                    n == null ? "(behind api-node)" : String.format(Locale.ROOT, "%,.0f req/s", n.get() / (double) loadSeconds)));
        }
        return sb.append('\n').toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
