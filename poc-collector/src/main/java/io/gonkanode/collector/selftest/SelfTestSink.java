package io.gonkanode.collector.selftest;

import io.gonkanode.collector.artifact.GeneratedBatch;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One-off PoC callback endpoints for ML node self-tests (node-registry's {@code POST /admin/v1/nodes/{id}/test}): a
 * run gets an unguessable id, the ML node posts its artifacts to {@code /selftest/<id>/v2/poc-batches/<model>/generated},
 * and they are kept here, in memory, apart from the chain's artifacts, until the run is closed or 15 minutes have
 * passed. Nothing of a run reaches the artifact store, a commitment or the chain.
 */
@ApplicationScoped
public class SelfTestSink {

    /** Artifacts kept per run at most (a test generates for seconds: a real node makes ~17 a second per GPU group). */
    static final int MAX_ARTIFACTS = 20_000;
    /** Runs open at once at most; the oldest goes first. */
    static final int MAX_RUNS = 8;
    static final long TTL_NANOS = 15L * 60 * 1_000_000_000L;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A run's artifacts, in arrival order, the first of each nonce. */
    public static final class Run {
        final long createdAt = System.nanoTime();
        final Map<Long, byte[]> artifacts = new LinkedHashMap<>();
        int batches;
        int dropped;
        String blockHash;
        long blockHeight;
        String publicKey;
        Long firstAtMillis;
        Long lastAtMillis;

        synchronized void add(GeneratedBatch batch) {
            batches++;
            blockHash = batch.blockHash();
            blockHeight = batch.blockHeight();
            publicKey = batch.publicKey();
            long now = System.currentTimeMillis();
            firstAtMillis = firstAtMillis == null ? now : firstAtMillis;
            lastAtMillis = now;
            for (int i = 0; i < batch.nonces().length; i++) {
                if (artifacts.size() >= MAX_ARTIFACTS) {
                    dropped += batch.nonces().length - i;
                    return;
                }
                artifacts.putIfAbsent(batch.nonces()[i], batch.vectors()[i]);
            }
        }

        /** What arrived: counts, the first and last arrival, and up to {@code limit} artifacts. */
        public synchronized Received received(int limit) {
            List<Received.Artifact> list = new ArrayList<>();
            for (Map.Entry<Long, byte[]> e : artifacts.entrySet()) {
                if (list.size() >= limit) {
                    break;
                }
                list.add(new Received.Artifact(e.getKey(), java.util.Base64.getEncoder().encodeToString(e.getValue())));
            }
            return new Received(artifacts.size(), batches, dropped, blockHash, blockHeight, publicKey, firstAtMillis, lastAtMillis, list);
        }
    }

    /** A run's artifacts as node-registry reads them ({@code GET /internal/v1/selftests/{id}}). */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Received(int count, int batches, int dropped, String blockHash, long blockHeight, String publicKey,
                           Long firstAtMillis, Long lastAtMillis, List<Artifact> artifacts) {

        @io.quarkus.runtime.annotations.RegisterForReflection
        public record Artifact(long nonce, String vectorB64) {
        }
    }

    private final Map<String, Run> runs = new LinkedHashMap<>();

    public synchronized String open() {
        expire();
        while (runs.size() >= MAX_RUNS) {
            runs.remove(runs.keySet().iterator().next());
        }
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        String hex = HexFormat.of().formatHex(id);
        runs.put(hex, new Run());
        return hex;
    }

    public synchronized Optional<Run> run(String id) {
        expire();
        return Optional.ofNullable(runs.get(id));
    }

    public synchronized boolean close(String id) {
        return runs.remove(id) != null;
    }

    private void expire() {
        long now = System.nanoTime();
        runs.values().removeIf(r -> now - r.createdAt > TTL_NANOS);
    }
}
