package io.gonkanode.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.local.LocalStack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus run on {@code deploy/observability/prometheus.yml} and its alert rules, pointed at a local stack:
 * the compose service names become the stack's ports, scrapes and rule evaluations come every second, and the chain
 * node's CometBFT job is left out (chain-sim has no CometBFT metrics port).
 */
public final class PrometheusRun implements AutoCloseable {

    private final Process process;
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    private PrometheusRun(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    public static PrometheusRun start(LocalStack stack, Path dir) throws IOException {
        int port = TestStacks.freePort();
        String config = Files.readString(Observability.DIR.resolve("prometheus.yml"));
        int chainJob = config.indexOf("  - job_name: chain-node");
        if (chainJob < 0) {
            throw new IllegalStateException("prometheus.yml has no chain-node job any more; PrometheusRun needs updating");
        }
        config = config.substring(0, chainJob)
                .replace("scrape_interval: 15s", "scrape_interval: 1s")
                .replace("evaluation_interval: 15s", "evaluation_interval: 1s")
                .replace("- alerts.yml", "- " + Observability.DIR.resolve("alerts.yml").toAbsolutePath().normalize())
                .replace("localhost:9090", "127.0.0.1:" + port)
                .replace("node-registry:9200", "127.0.0.1:" + stack.registry().port())
                .replace("poc-collector:9100", "127.0.0.1:" + stack.collector().port())
                .replace("api-node:9000", "127.0.0.1:" + stack.api().port());
        Files.createDirectories(dir);
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config);
        Process p = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        return new PrometheusRun(p, "http://127.0.0.1:" + port);
    }

    /** {@code /api/v1/...} answered with status success: its {@code data}; null while Prometheus is not up yet. */
    public JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/" + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue());
            }
            return null;
        }
        JsonNode body = json.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new AssertionError(pathAndQuery + " answered " + r.statusCode() + ": " + body);
        }
        return body.path("data");
    }

    /** An instant query's result (a vector, possibly empty); an error in the expression fails. */
    public JsonNode query(String expr) throws IOException, InterruptedException {
        return api("query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)).path("result");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
