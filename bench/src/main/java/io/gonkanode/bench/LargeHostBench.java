package io.gonkanode.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.local.Database;
import io.gonkanode.local.ServiceProcess;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A large host (issue 18, part 4): node-registry managing {@code nodes} ML nodes, all played by one mlnode-sim
 * (SIM_NODES) on two port ranges, with poc-collector and chain-sim beside it as in production. Once every node
 * serves inference it measures, over {@code seconds} of steady state: the registry's CPU (from /proc), the poll period
 * each node really gets (from the registry's poll counter), then {@code GET /admin/v1/nodes} latency, the internal
 * view's 304 while nothing changes, and the dashboard with every row in Chromium (when Chromium and Node.js are
 * there). Writes {@code bench/out/largehost.md}.
 *
 * <pre>java -cp bench/target/bench.jar:bench/target/lib/* io.gonkanode.bench.LargeHostBench [nodes] [seconds]</pre>
 */
public final class LargeHostBench {

    static final String MODEL = FootprintBench.MODEL;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern POLLS = Pattern.compile("(?m)^registry_mlnode_poll_seconds_count(?:\\{[^}]*})? ([0-9.eE+]+)$");
    static final Pattern PASSES = Pattern.compile("(?m)^registry_manager_pass_seconds_count(?:\\{[^}]*})? ([0-9.eE+]+)$");
    static final Pattern PASS_SECONDS = Pattern.compile("(?m)^registry_manager_pass_seconds_sum(?:\\{[^}]*})? ([0-9.eE+]+)$");
    static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path out = Path.of(System.getProperty("bench.out", "bench/out"));
        Path root = Path.of(System.getProperty("gonka.root", "."));
        Files.createDirectories(out);
        Path dir = Files.createTempDirectory("gonka-largehost");
        int simPort = FootprintBench.freePort();
        int registryPort = FootprintBench.freePort();
        int collectorPort = FootprintBench.freePort();
        int nodeBase = freeRange(20000, nodes - 1);
        int inferenceBase = freeRange(nodeBase + nodes + 10, nodes);
        List<ServiceProcess> started = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        try (Database db = Database.embedded(dir.resolve("postgres"), FootprintBench.freePort());
             ChainSim chain = ChainSim.start(root, dir, 5)) {
            FootprintBench.Pair env = FootprintBench.Pair.of(db, chain, registryPort, collectorPort);
            ServiceProcess sim = start(root, dir, "mlnode-sim", simPort, "/api/v1/state", Map.of("SIM_NODES", Integer.toString(nodes),
                    "SIM_NODE_PORT_BASE", Integer.toString(nodeBase), "SIM_INFERENCE_PORT", Integer.toString(inferenceBase),
                    "SIM_INFERENCE_UP_DELAY", "0s", "QUARKUS_LOG_LEVEL", "WARN"), "-Xmx512m");
            started.add(sim);
            started.add(start(root, dir, "poc-collector", collectorPort, "/q/health/ready", env.collector(), "-Xmx384m"));
            // -Dlargehost.jfr=<file>: a flight recording of the registry, to see where its CPU goes
            String jfr = System.getProperty("largehost.jfr");
            ServiceProcess registry = start(root, dir, "node-registry", registryPort, "/q/health/ready", env.registry(), "-Xmx384m",
                    jfr == null ? "-Dunused=1" : "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
            started.add(registry);
            String registryUrl = "http://127.0.0.1:" + registryPort;

            // every node registered as an operator would, one POST each
            JsonNode listed = JSON.readTree(FootprintBench.HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + simPort + "/sim/v1/nodes")).build(), HttpResponse.BodyHandlers.ofString()).body());
            long registering = System.nanoTime();
            for (JsonNode n : listed) {
                String body = """
                        {"id": "gpu-%04d", "host": "127.0.0.1", "inference_port": %d, "poc_port": %d, "max_concurrent": 64,
                         "models": {"%s": {"args": []}}}""".formatted(n.get("node").asInt(), n.get("inference_port").asInt(),
                        n.get("management_port").asInt(), MODEL);
                int code = FootprintBench.post(registryUrl + "/admin/v1/nodes", body);
                if (code != 200) {
                    throw new IllegalStateException("registering node " + n + " answered " + code);
                }
            }
            double registerSeconds = (System.nanoTime() - registering) / 1e9;
            long upStart = System.nanoTime();
            FootprintBench.awaitTrue(() -> count(registryUrl, "INFERENCE") == nodes, Duration.ofMinutes(5),
                    "not every node reached INFERENCE");
            double upSeconds = (System.nanoTime() - upStart) / 1e9;
            System.out.printf(Locale.ROOT, "%d nodes registered in %.1f s, all serving %.1f s later%n", nodes, registerSeconds, upSeconds);
            Thread.sleep(10_000); // settled: the bring-up's commands and writes are done

            // steady state: nothing asked of the registry but its own polling
            Map<String, Long> threads0 = threadTicks(registry.pid());
            long cpu0 = cpuTicks(registry.pid());
            long simCpu0 = cpuTicks(sim.pid());
            double polls0 = metric(registryUrl, POLLS);
            double passes0 = metric(registryUrl, PASSES);
            double passSeconds0 = metric(registryUrl, PASS_SECONDS);
            long t0 = System.nanoTime();
            long rssPeak = 0;
            while (System.nanoTime() - t0 < seconds * 1_000_000_000L) {
                rssPeak = Math.max(rssPeak, FootprintBench.rssKb(registry.pid()));
                Thread.sleep(500);
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuTicks(registry.pid()) - cpu0) / (double) CLOCK_TICKS / elapsed;
            double simCpu = (cpuTicks(sim.pid()) - simCpu0) / (double) CLOCK_TICKS / elapsed;
            double polls = metric(registryUrl, POLLS) - polls0;
            double period = nodes * elapsed / polls;
            double passes = metric(registryUrl, PASSES) - passes0;
            double passMillis = (metric(registryUrl, PASS_SECONDS) - passSeconds0) / passes * 1000;
            System.out.printf(Locale.ROOT, "registry CPU %.1f %% of a core, poll period %.2f s; by thread:%n", cpu * 100, period);
            Map<String, Long> threads1 = threadTicks(registry.pid());
            threads1.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                    .forEach(e -> System.out.printf(Locale.ROOT, "  %-28s %5.1f %%%n", e.getKey(), e.getValue() / (double) CLOCK_TICKS / elapsed * 100));

            // the Admin API listing, one client after another (what the dashboard and operators' scripts do)
            long[] admin = new long[300];
            int adminBytes = 0;
            for (int i = 0; i < admin.length; i++) {
                long s = System.nanoTime();
                HttpResponse<byte[]> r = FootprintBench.HTTP.send(HttpRequest.newBuilder(URI.create(registryUrl + "/admin/v1/nodes"))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                admin[i] = System.nanoTime() - s;
                adminBytes = r.body().length;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("GET /admin/v1/nodes answered " + r.statusCode());
                }
            }
            Arrays.sort(admin);

            // the internal view api-node and poc-collector poll: unchanged while only polls happen, so 304
            HttpResponse<byte[]> first = FootprintBench.HTTP.send(HttpRequest.newBuilder(URI.create(registryUrl + "/internal/v1/nodes"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            String etag = first.headers().firstValue("ETag").orElseThrow();
            int notModified = 0;
            int changed = 0;
            List<Long> conditional = new ArrayList<>();
            long internalEnd = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < internalEnd) {
                long s = System.nanoTime();
                HttpResponse<byte[]> r = FootprintBench.HTTP.send(HttpRequest.newBuilder(URI.create(registryUrl + "/internal/v1/nodes"))
                        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray());
                conditional.add(System.nanoTime() - s);
                if (r.statusCode() == 304) {
                    notModified++;
                } else {
                    changed++;
                    etag = r.headers().firstValue("ETag").orElse(etag);
                }
                Thread.sleep(1000);
            }
            conditional.sort(null);

            String browser = Dashboard.measure(root, registryUrl, nodes, dir);

            report.append("### A large host: node-registry with ").append(String.format(Locale.ROOT, "%,d", nodes)).append(" ML nodes\n\n");
            report.append(String.format(Locale.ROOT, "Java %s; one mlnode-sim plays every node (`SIM_NODES=%d`, two port ranges); node-registry "
                            + "`-Xmx384m -XX:+UseSerialGC` with its default 5 s poll interval, poc-collector and chain-sim beside it, all on the same "
                            + "2 cores. %d nodes registered in %.1f s (one POST each) and all serving %.1f s later; then %d s of steady state, "
                            + "in which each poll of a serving node is two requests (state and inference health; PoC status only when the state does not say IDLE).%n%n",
                    System.getProperty("java.version"), nodes, nodes, registerSeconds, upSeconds, seconds));
            report.append("| figure | measured | target |\n|---|---:|---|\n");
            report.append(String.format(Locale.ROOT, "| node-registry CPU while polling | %.1f %% of a core | ≤ 50 %% — %s |%n", cpu * 100,
                    cpu <= 0.5 ? "met" : "**missed**"));
            report.append(String.format(Locale.ROOT, "| poll period per node (polls counted / nodes / time) | %.2f s; %.0f passes of %.0f ms "
                            + "on average | 5 s kept — %s |%n", period, passes, passMillis, period <= 5.5 ? "met" : "**missed**"));
            report.append(String.format(Locale.ROOT, "| node-registry RSS peak | %d MiB | – |%n", rssPeak / 1024));
            report.append(String.format(Locale.ROOT, "| mlnode-sim CPU (%d nodes answering) | %.1f %% of a core | – |%n", nodes, simCpu * 100));
            report.append(String.format(Locale.ROOT, "| `GET /admin/v1/nodes` (%,d bytes), 300 in a row | p50 %.1f ms, p99 %.1f ms, max %.1f ms | p99 ≤ 100 ms — %s |%n",
                    adminBytes, ms(admin, 0.5), ms(admin, 0.99), admin[admin.length - 1] / 1e6, ms(admin, 0.99) <= 100 ? "met" : "**missed**"));
            report.append(String.format(Locale.ROOT, "| `GET /internal/v1/nodes` (%,d bytes) with `If-None-Match`, once a second for 30 s | %d × 304, %d × 200; "
                            + "304 in p50 %.1f ms | 304 while unchanged — %s |%n", first.body().length, notModified, changed,
                    conditional.get(conditional.size() / 2) / 1e6, changed == 0 ? "met" : "**missed**"));
            report.append(browser);
            report.append('\n');
            Files.writeString(out.resolve("largehost.md"), report);
            System.out.println(report);
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).stop();
            }
        }
    }

    static ServiceProcess start(Path root, Path dir, String name, int port, String ready, Map<String, String> env, String... jvm)
            throws Exception {
        List<String> options = new ArrayList<>(List.of(jvm));
        options.add("-XX:+UseSerialGC");
        ServiceProcess p = ServiceProcess.builder(name, root.resolve(name + "/target/quarkus-app/quarkus-run.jar")).port(port)
                .readinessPath(ready).env(env).jvmOptions(options.toArray(String[]::new)).logFile(dir.resolve(name + ".log")).build();
        p.start().awaitReady(Duration.ofSeconds(180));
        return p;
    }

    /** How many nodes the Admin API shows with this current status. */
    static int count(String registryUrl, String status) {
        try {
            JsonNode list = JSON.readTree(FootprintBench.HTTP.send(HttpRequest.newBuilder(URI.create(registryUrl + "/admin/v1/nodes"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body());
            int n = 0;
            for (JsonNode e : list) {
                n += status.equals(e.path("state").path("current_status").asText()) ? 1 : 0;
            }
            return n;
        } catch (Exception e) {
            return -1;
        }
    }

    /** A counter of the registry's Prometheus page (polls made, passes and their seconds). */
    static double metric(String registryUrl, Pattern metric) throws Exception {
        String metrics = FootprintBench.HTTP.send(HttpRequest.newBuilder(URI.create(registryUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = metric.matcher(metrics);
        if (!m.find()) {
            throw new IllegalStateException("no " + metric + " in /q/metrics");
        }
        return Double.parseDouble(m.group(1));
    }

    /** User plus system CPU of a process, in clock ticks (/proc/pid/stat fields 14 and 15). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** CPU ticks per thread name (numbers folded, so a pool is one line), from /proc/pid/task. */
    static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "#");
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /** The first port of {@code count} consecutive free ones, from {@code from} on. */
    static int freeRange(int from, int count) {
        int start = from;
        for (int p = from; p < 60000; p++) {
            try (ServerSocket s = new ServerSocket(p)) {
                if (p - start + 1 >= count) {
                    return start;
                }
            } catch (IOException busy) {
                start = p + 1;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports from " + from);
    }

    /** The dashboard in Chromium, through {@code bench/js/dashboard-rows.mjs} (the browser tests' launcher and playwright-core). */
    static final class Dashboard {

        static String measure(Path root, String registryUrl, int nodes, Path dir) throws Exception {
            Path js = root.resolve("bench/js");
            Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
            Path shared = root.resolve("system-tests/src/test/js/node_modules");
            if (!Files.isExecutable(chromium)) {
                return "| dashboard in Chromium | not measured: no Chromium at " + chromium + " | – |\n";
            }
            if (!Files.isDirectory(shared.resolve("playwright-core"))) {
                Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(shared.getParent().toFile())
                        .inheritIO().start();
                if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                    return "| dashboard in Chromium | not measured: npm ci failed in system-tests/src/test/js | – |\n";
                }
            }
            ProcessBuilder pb = new ProcessBuilder("node", "dashboard-rows.mjs").directory(js.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("dashboard.out").toFile());
            pb.environment().put("CHROMIUM", chromium.toString());
            pb.environment().put("DASHBOARD_URL", registryUrl + "/");
            pb.environment().put("ROWS", Integer.toString(nodes));
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("dashboard-rows.mjs failed: " + Files.readString(dir.resolve("dashboard.out")));
            }
            String output = Files.readString(dir.resolve("dashboard.out"));
            System.out.print(output);
            JsonNode r = JSON.readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
            return String.format(Locale.ROOT, "| dashboard in Chromium, %,d rows | first paint %.0f ms, every row shown %.0f ms; a refresh "
                            + "(fetch + render) p50 %.0f ms, max %.0f ms, of which rendering p50 %.0f ms | usable: rows shown, refresh well inside "
                            + "its 3 s period — %s |%n", nodes, r.get("first_paint_ms").asDouble(), r.get("rows_shown_ms").asDouble(),
                    r.get("refresh_p50_ms").asDouble(), r.get("refresh_max_ms").asDouble(), r.get("render_p50_ms").asDouble(),
                    r.get("refresh_max_ms").asDouble() < 1000 ? "met" : "**missed**");
        }
    }
}
