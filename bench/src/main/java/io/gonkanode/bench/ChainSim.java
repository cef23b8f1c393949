package io.gonkanode.bench;

import io.gonkanode.local.LocalStack;
import io.gonkanode.local.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chain the benchmarked collector follows (it starts only with one): chain-sim without peers, making blocks only
 * when asked, so a benchmark holds it still where it wants it (in a PoC stage's generation window, or in the
 * inference phase); the collector is told never to call it stale.
 */
final class ChainSim implements AutoCloseable {

    /** The fast epoch's first PoC start. */
    static final long FIRST_POC = 20;

    private static final Pattern HASH = Pattern.compile("\"block_id\"\\s*:\\s*\\{\\s*\"hash\"\\s*:\\s*\"([0-9A-Fa-f]{64})\"");
    private final HttpClient http = HttpClient.newHttpClient();
    final ServiceProcess process;

    private ChainSim(ServiceProcess process) {
        this.process = process;
    }

    /** Starts it and makes blocks up to {@code height}. */
    static ChainSim start(Path root, Path dir, long height) throws Exception {
        ServiceProcess p = ServiceProcess.builder("chain-sim", root.resolve("chain-sim/target/quarkus-app/quarkus-run.jar"))
                .port(ServiceProcess.freePort()).readinessPath("/health").env("SIM_CHAIN_PRODUCE_BLOCKS", "false").env("SIM_CHAIN_PEERS", "0")
                .env("QUARKUS_LOG_LEVEL", "WARN").jvmOptions("-Xmx256m", "-XX:+UseSerialGC").logFile(dir.resolve("chain-sim.log"))
                .build();
        p.start().awaitReady(Duration.ofSeconds(120));
        LocalStack.makeBlocks(p.url(), height); // from genesis at 0
        return new ChainSim(p);
    }

    /** The collector's settings for following it. */
    java.util.Map<String, String> collectorEnv() {
        return java.util.Map.of("DAPI_CHAIN_NODE__URL", process.url(), "GONKA_CHAIN_STALE_AFTER", "1h");
    }

    /** The hash of a block as the chain prints it. */
    String hash(long height) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create(process.url() + "/block?height=" + height)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = HASH.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no hash for block " + height + ": " + body);
        }
        return m.group(1);
    }

    @Override
    public void close() {
        process.stop();
    }
}
