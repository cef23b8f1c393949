package io.gonkanode.sim.poc;

import io.gonkanode.protocol.poc.ArtifactVectors;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.sim.config.SimConfig;
import io.gonkanode.sim.fault.Faults;
import io.quarkus.logging.Log;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Continuous PoC generation on one backend: nonces from the iterator at the configured rate, each turned
 * into an artifact, and everything new posted to {@code <url>/generated} every callback interval.
 */
final class Generation {

    /** Buffer cap of the real sender (POC_CALLBACK_MAX_ARTIFACTS); the oldest are dropped beyond it. */
    static final int MAX_BUFFERED = 1_000_000;
    /** Bound on the nonces computed per tick, so a huge rate cannot starve the machine. */
    private static final int MAX_PER_TICK = 250_000;

    final PocRequests.Stage stage;
    final int groupId;
    final int nGroups;
    private final NonceIterator nonces;
    private final URI generatedUrl;
    private final SimConfig config;
    private final Faults faults;
    private final CallbackPoster poster;
    private final ObjectMapper json;
    private final long startNanos = System.nanoTime();
    private final ArrayDeque<ObjectNode> buffer = new ArrayDeque<>();
    private final SplittableRandom forgery = new SplittableRandom();
    private long produced;
    private volatile boolean stopped;
    private Thread sender;

    Generation(PocRequests.Stage stage, int groupId, int nGroups, String url, SimConfig config, Faults faults,
               CallbackPoster poster, ObjectMapper json) {
        this.stage = stage;
        this.groupId = groupId;
        this.nGroups = nGroups;
        this.nonces = new NonceIterator(stage.nodeId(), stage.nodeCount(), groupId, nGroups);
        this.generatedUrl = url == null ? null : URI.create(url + "/generated");
        this.config = config;
        this.faults = faults;
        this.poster = poster;
        this.json = json;
    }

    void start(String name) {
        sender = new Thread(this::sendLoop, name);
        sender.setDaemon(true);
        sender.start();
    }

    /** Computes the nonces due by now; called every 100 ms. */
    void tick() {
        if (stopped) {
            return;
        }
        double elapsedSeconds = (System.nanoTime() - startNanos) / 1e9;
        long due = (long) (elapsedSeconds * config.noncesPerMinute() / 60.0);
        long count = Math.min(due - producedCount(), MAX_PER_TICK);
        if (count <= 0) {
            return;
        }
        boolean cheat = faults.get().cheater();
        List<ObjectNode> fresh = new ArrayList<>((int) count);
        long first = producedCount();
        for (long k = first; k < first + count; k++) {
            long nonce = nonces.nonce(k);
            float[] vector = cheat ? ArtifactVectors.forged(forgery)
                    : ArtifactVectors.honest(stage.blockHash(), stage.publicKey(), nonce, stage.model(), stage.seqLen());
            ObjectNode artifact = json.createObjectNode();
            artifact.put("nonce", nonce);
            artifact.put("vector_b64", ArtifactVectors.toBase64(vector));
            fresh.add(artifact);
        }
        synchronized (this) {
            produced += count;
            buffer.addAll(fresh);
            while (buffer.size() > MAX_BUFFERED) {
                buffer.pollFirst();
            }
        }
    }

    synchronized long producedCount() {
        return produced;
    }

    double noncesPerSecond() {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        return elapsed <= 0 ? 0 : producedCount() / elapsed;
    }

    private synchronized List<ObjectNode> drain() {
        List<ObjectNode> out = new ArrayList<>(buffer);
        buffer.clear();
        return out;
    }

    private void sendLoop() {
        long interval = Math.max(1, config.callbackInterval().toMillis());
        while (!stopped) {
            long until = System.currentTimeMillis() + interval;
            while (!stopped && System.currentTimeMillis() < until) {
                pause(Math.min(50, Math.max(1, until - System.currentTimeMillis())));
            }
            if (stopped) {
                break;
            }
            send(drain(), () -> stopped);
        }
        // what was computed before the stop still goes out once
        send(drain(), () -> true);
    }

    private void send(List<ObjectNode> artifacts, java.util.function.BooleanSupplier cancelled) {
        if (artifacts.isEmpty() || generatedUrl == null || faults.get().noCallbacks()) {
            return;
        }
        ObjectNode body = json.createObjectNode();
        body.put("block_hash", stage.blockHash());
        body.put("block_height", stage.blockHeight());
        body.put("public_key", stage.publicKey());
        body.put("node_id", stage.nodeId());
        ArrayNode list = body.putArray("artifacts");
        list.addAll(artifacts);
        ObjectNode encoding = body.putObject("encoding");
        encoding.put("dtype", "f16");
        encoding.put("k_dim", ArtifactVectors.K_DIM);
        encoding.put("endian", "le");
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            // the last flush after a stop gets a single attempt; a running generation retries with backoff
            if (!poster.post(generatedUrl, bytes, cancelled)) {
                Log.warnf("%d artifacts of group %d not delivered", artifacts.size(), groupId);
            }
        } catch (Exception e) {
            Log.error("could not serialise a callback", e);
        }
    }

    void stop() {
        stopped = true;
    }

    boolean isStopped() {
        return stopped;
    }

    ObjectNode config(ObjectMapper json) {
        ObjectNode c = json.createObjectNode();
        c.put("block_hash", stage.blockHash());
        c.put("block_height", stage.blockHeight());
        c.put("public_key", stage.publicKey());
        c.put("node_id", stage.nodeId());
        c.put("node_count", stage.nodeCount());
        c.put("group_id", groupId);
        c.put("n_groups", nGroups);
        c.put("seq_len", stage.seqLen());
        c.put("k_dim", stage.kDim());
        return c;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
