package io.gonkanode.sim.poc;

import io.gonkanode.protocol.poc.ArtifactVectors;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.sim.fastapi.HttpError;
import io.gonkanode.sim.config.SimConfig;
import io.gonkanode.sim.fault.Faults;
import io.quarkus.logging.Log;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PoC v2 of the simulated vLLM backends (ports INFERENCE_PORT+1 ...), with mlnode's fan-out semantics:
 * init/generate and stop go to every backend, /generate round-robin to one, status is aggregated.
 *
 * <p>Why one class of this size: it mirrors upstream's PoC manager route for route (init, generate,
 * validate, stop, status, queue), which keeps it checkable against gonka-mlnode.md; the pieces with a
 * life of their own (generation, vectors, nonces, the statistical test, callbacks) are classes of their own.
 */
public class PocEngine {

    /** Real limit of queued nonces per backend (POC_MAX_QUEUED_NONCES). */
    static final int MAX_QUEUED_NONCES = 100_000;
    /** How long finished job results stay pollable (POC_GENERATE_RESULT_TTL_SEC). */
    static final long RESULT_TTL_MILLIS = 300_000;

    private final SimConfig config;
    private final Faults faults;
    private final ObjectMapper json;
    private final CallbackPoster poster;
    private final ExecutorService callbacks;
    private final ScheduledFuture<?> ticking;
    private final Map<Integer, Backend> backends = new ConcurrentHashMap<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private volatile int basePort;

    /** One simulated vLLM instance. */
    final class Backend {
        final int port;
        final ExecutorService worker;
        volatile Generation generation;
        volatile int queuedNonces;
        volatile boolean validating;

        Backend(int port) {
            this.port = port;
            this.worker = Executors.newSingleThreadExecutor(r -> daemon(r, "poc-backend-" + port));
        }

        boolean generating() {
            Generation g = generation;
            return g != null && !g.isStopped();
        }
    }

    /**
     * One node's PoC; the timer that ticks it every 100 ms, the workers that post its callbacks and the poster are
     * shared by every node of the process.
     */
    public PocEngine(SimConfig config, Faults faults, ObjectMapper json, CallbackPoster poster,
                     ScheduledExecutorService timer, ExecutorService callbacks) {
        this.config = config;
        this.faults = faults;
        this.json = json;
        this.poster = poster;
        this.callbacks = callbacks;
        this.ticking = timer.scheduleAtFixedRate(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The backends come up with vLLM (ports base+1 ... base+n). */
    public synchronized void backendsUp(int inferencePort) {
        backendsDown();
        basePort = inferencePort;
        for (int i = 1; i <= Math.max(1, config.backends()); i++) {
            backends.put(inferencePort + i, new Backend(inferencePort + i));
        }
    }

    /** vLLM went down: generation, queued jobs and results go with it. */
    public synchronized void backendsDown() {
        stopAll();
        backends.values().forEach(b -> b.worker.shutdownNow());
        backends.clear();
    }

    public boolean hasBackends() {
        return !backends.isEmpty();
    }

    private List<Backend> sortedBackends() {
        return backends.values().stream().sorted((a, b) -> Integer.compare(a.port, b.port)).toList();
    }

    public boolean isGenerating() {
        return backends.values().stream().anyMatch(Backend::generating);
    }

    /** What /api/v1/state reports as poc_status. */
    public String pocStatus() {
        if (backends.isEmpty()) {
            return "NO_BACKENDS";
        }
        if (backends.values().stream().anyMatch(b -> b.validating)) {
            return "VALIDATING";
        }
        long generating = backends.values().stream().filter(Backend::generating).count();
        if (generating == 0) {
            return "IDLE";
        }
        return generating == backends.size() ? "GENERATING" : "MIXED";
    }

    public synchronized ObjectNode initGenerate(PocRequests.InitGenerate request) {
        List<Backend> healthy = sortedBackends();
        if (healthy.isEmpty()) {
            throw new HttpError(503, "No vLLM backends available");
        }
        ArrayNode results = json.createArrayNode();
        ArrayNode errors = json.createArrayNode();
        int nGroups = healthy.size();
        for (int group = 0; group < nGroups; group++) {
            Backend b = healthy.get(group);
            if (b.generating()) {
                errors.add(json.createObjectNode().put("port", b.port).put("error", "{\"detail\":\"Already generating\"}"));
                continue;
            }
            Generation g = new Generation(request.stage(), group, nGroups, request.url(), config, faults, poster, json);
            b.generation = g;
            g.start("poc-sender-" + b.port);
            results.add(json.createObjectNode().put("port", b.port).put("status", "OK"));
        }
        if (results.isEmpty()) {
            ObjectNode detail = json.createObjectNode();
            detail.set("errors", errors);
            throw new HttpError(502, detail);
        }
        Log.infof("PoC generation started: height %d, node %d of %d, %d backend(s), callback %s",
                request.stage().blockHeight(), request.stage().nodeId(), request.stage().nodeCount(), results.size(),
                request.url());
        ObjectNode out = json.createObjectNode();
        out.put("status", "OK");
        out.put("backends", results.size());
        out.put("n_groups", nGroups);
        out.set("results", results);
        out.set("errors", errors.isEmpty() ? null : errors);
        return out;
    }

    public ObjectNode status() {
        ObjectNode out = json.createObjectNode();
        List<Backend> all = sortedBackends();
        if (all.isEmpty()) {
            out.put("status", "NO_BACKENDS");
            out.putArray("backends");
            return out;
        }
        ArrayNode list = json.createArrayNode();
        boolean allGenerating = true;
        boolean anyGenerating = false;
        for (Backend b : all) {
            ObjectNode s = json.createObjectNode();
            s.put("port", b.port);
            Generation g = b.generation;
            if (b.generating()) {
                anyGenerating = true;
                s.put("status", "GENERATING");
                s.set("config", g.config(json));
                ObjectNode stats = s.putObject("stats");
                stats.put("total_processed", g.producedCount());
                stats.put("nonces_per_second", g.noncesPerSecond());
            } else {
                allGenerating = false;
                s.put("status", "IDLE");
                s.putNull("config");
                s.putNull("stats");
            }
            list.add(s);
        }
        out.put("status", allGenerating ? "GENERATING" : anyGenerating ? "MIXED" : "IDLE");
        out.set("backends", list);
        return out;
    }

    public synchronized ObjectNode stop() {
        ObjectNode out = json.createObjectNode();
        if (backends.isEmpty()) {
            out.put("status", "OK");
            out.put("message", "No backends to stop");
            return out;
        }
        stopAll();
        ArrayNode results = json.createArrayNode();
        sortedBackends().forEach(b -> results.add(json.createObjectNode().put("port", b.port).put("status", "stopped")));
        out.put("status", "OK");
        out.set("results", results);
        out.putNull("errors");
        return out;
    }

    private void stopAll() {
        for (Backend b : backends.values()) {
            Generation g = b.generation;
            if (g != null) {
                g.stop();
                b.generation = null;
            }
            b.queuedNonces = 0;
        }
        jobs.values().forEach(j -> {
            if (!j.finished()) {
                j.status = "cancelled";
            }
        });
        jobs.clear();
    }

    public ObjectNode generate(PocRequests.Generate request) {
        List<Backend> all = sortedBackends();
        if (all.isEmpty()) {
            throw new HttpError(503, "No vLLM backends available");
        }
        if (request.artifacts() != null) {
            Set<Long> claimed = new HashSet<>();
            request.artifacts().forEach(a -> claimed.add(a.nonce()));
            if (!claimed.equals(new HashSet<>(request.nonces()))) {
                throw new HttpError(400, "validation.artifacts nonces must match nonces field");
            }
        }
        Backend backend = all.get(Math.floorMod(roundRobin.getAndIncrement(), all.size()));
        Job job = new Job(UUID.randomUUID().toString(), backend.port, request);
        if (request.await()) {
            awaitNoGeneration(backend);
            run(job, backend);
            ObjectNode out = job.result.deepCopy();
            out.put("status", "completed");
            out.put("request_id", job.id);
            return out;
        }
        synchronized (backend) {
            if (backend.queuedNonces + request.nonces().size() > MAX_QUEUED_NONCES) {
                throw new HttpError(429, "Queue full: " + backend.queuedNonces + " nonces queued, limit " + MAX_QUEUED_NONCES);
            }
            backend.queuedNonces += request.nonces().size();
        }
        jobs.put(job.compositeId(), job);
        backend.worker.submit(() -> {
            try {
                awaitNoGeneration(backend);
                if (!"cancelled".equals(job.status)) {
                    run(job, backend);
                    deliver(job);
                }
            } catch (RuntimeException e) {
                job.status = "failed";
                job.error = e.getMessage();
                job.finishedAtMillis = System.currentTimeMillis();
            } finally {
                synchronized (backend) {
                    backend.queuedNonces = Math.max(0, backend.queuedNonces - request.nonces().size());
                }
            }
        });
        ObjectNode out = json.createObjectNode();
        out.put("status", "queued");
        out.put("request_id", job.compositeId());
        out.put("queued_count", request.nonces().size());
        return out;
    }

    /** Queued jobs wait while init-generation runs on their backend (60 s at most for wait=true). */
    private void awaitNoGeneration(Backend backend) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (backend.generating()) {
            if (System.currentTimeMillis() > deadline) {
                throw new HttpError(503, "Timed out waiting for generation to stop");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HttpError(503, "interrupted");
            }
        }
    }

    /** Recomputes the nonces, at the backend's speed, and compares them with the claims if there are any. */
    private void run(Job job, Backend backend) {
        job.status = "running";
        PocRequests.Generate r = job.request;
        backend.validating = r.artifacts() != null;
        try {
            long computeMillis = (long) (r.nonces().size() * 60_000.0 / Math.max(1e-9, config.noncesPerMinute()));
            sleep(Math.min(computeMillis, 120_000), job);
            ObjectNode result = r.artifacts() != null ? validate(job) : artifacts(job);
            job.result = result;
            job.status = "cancelled".equals(job.status) ? "cancelled" : "completed";
            job.finishedAtMillis = System.currentTimeMillis();
        } finally {
            backend.validating = false;
        }
    }

    private ObjectNode validate(Job job) {
        PocRequests.Generate r = job.request;
        PocRequests.Stage s = r.stage();
        Map<Long, String> claimed = new HashMap<>();
        r.artifacts().forEach(a -> claimed.put(a.nonce(), a.vectorB64()));
        SplittableRandom noise = new SplittableRandom();
        List<Long> mismatches = new ArrayList<>();
        for (long nonce : r.nonces()) {
            float[] computed = ArtifactVectors.honest(s.blockHash(), s.publicKey(), nonce, s.model(), s.seqLen());
            float[] claim = decode(claimed.get(nonce));
            boolean noisy = noise.nextDouble() < config.validationMismatchRate();
            if (noisy || ArtifactVectors.distance(computed, claim) > r.statTest().distThreshold()) {
                mismatches.add(nonce);
            }
        }
        int total = r.nonces().size();
        double pValue = BinomialTest.pValueAtLeast(mismatches.size(), total, r.statTest().pMismatch());
        ObjectNode out = json.createObjectNode();
        out.put("request_id", job.id);
        out.put("block_hash", s.blockHash());
        out.put("block_height", s.blockHeight());
        out.put("public_key", s.publicKey());
        out.put("node_id", s.nodeId());
        out.put("n_total", total);
        out.put("n_mismatch", mismatches.size());
        ArrayNode list = out.putArray("mismatch_nonces");
        mismatches.forEach(list::add);
        out.put("p_value", pValue);
        out.put("fraud_detected", pValue < r.statTest().fraudThreshold());
        return out;
    }

    private ObjectNode artifacts(Job job) {
        PocRequests.Stage s = job.request.stage();
        ObjectNode out = json.createObjectNode();
        out.put("request_id", job.id);
        out.put("block_hash", s.blockHash());
        out.put("block_height", s.blockHeight());
        out.put("public_key", s.publicKey());
        out.put("node_id", s.nodeId());
        ArrayNode list = out.putArray("artifacts");
        for (long nonce : job.request.nonces()) {
            float[] v = ArtifactVectors.honest(s.blockHash(), s.publicKey(), nonce, s.model(), s.seqLen());
            list.add(json.createObjectNode().put("nonce", nonce).put("vector_b64", ArtifactVectors.toBase64(v)));
        }
        ObjectNode encoding = out.putObject("encoding");
        encoding.put("dtype", "f16");
        encoding.put("k_dim", ArtifactVectors.K_DIM);
        encoding.put("endian", "le");
        return out;
    }

    private static float[] decode(String b64) {
        if (b64 == null) {
            return null;
        }
        try {
            return ArtifactVectors.decode(Base64.getDecoder().decode(b64));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void deliver(Job job) {
        String url = job.request.url();
        if (url == null || job.result == null || "cancelled".equals(job.status) || faults.get().noCallbacks()) {
            return;
        }
        String suffix = job.request.artifacts() != null ? "/validated" : "/generated";
        callbacks.submit(() -> {
            try {
                poster.post(URI.create(url + suffix), json.writeValueAsBytes(job.result), () -> false);
            } catch (Exception e) {
                Log.error("could not post a job result", e);
            }
        });
    }

    public ObjectNode result(String compositeId) {
        int colon = compositeId.indexOf(':');
        if (colon < 0) {
            throw new HttpError(400, "Invalid request_id format (expected port:uuid)");
        }
        try {
            Integer.parseInt(compositeId.substring(0, colon));
        } catch (NumberFormatException e) {
            throw new HttpError(400, "Invalid port in request_id");
        }
        Job job = jobs.get(compositeId);
        if (job == null) {
            throw new HttpError(404, "Request not found");
        }
        ObjectNode out = json.createObjectNode();
        out.put("status", job.status);
        out.put("request_id", compositeId);
        if (job.result != null && "completed".equals(job.status)) {
            job.result.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("request_id")) {
                    out.set(e.getKey(), e.getValue());
                }
            });
        }
        if (job.error != null) {
            out.put("error", job.error);
        }
        return out;
    }

    private void tick() {
        try {
            for (Backend b : backends.values()) {
                Generation g = b.generation;
                if (g != null) {
                    g.tick();
                }
            }
            long now = System.currentTimeMillis();
            jobs.values().removeIf(j -> j.finished() && j.finishedAtMillis > 0 && now - j.finishedAtMillis > RESULT_TTL_MILLIS);
        } catch (RuntimeException e) {
            Log.error("PoC tick failed", e);
        }
    }

    private static void sleep(long millis, Job job) {
        long until = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < until && !"cancelled".equals(job.status)) {
            try {
                Thread.sleep(Math.min(50, Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    int basePort() {
        return basePort;
    }

    /** The process stops: no more ticks, and the backends go down. */
    public void close() {
        ticking.cancel(false);
        backendsDown();
    }
}
