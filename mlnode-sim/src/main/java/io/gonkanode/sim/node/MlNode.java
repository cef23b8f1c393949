package io.gonkanode.sim.node;

import io.gonkanode.sim.fault.Faults;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.sim.fastapi.HttpError;
import io.gonkanode.sim.config.SimConfig;
import io.gonkanode.sim.inference.InferenceServer;
import io.gonkanode.sim.inference.InferenceStats;
import io.gonkanode.sim.poc.PocEngine;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The ML node's service state machine (mlnode 3.0.14): STOPPED until inference/up brings vLLM up
 * (INFERENCE, with PoC v2 running inside it), back to STOPPED on stop or inference/down.
 */
public class MlNode {

    /** inference/up progress, as {@code GET /api/v1/inference/up/status} reports it. */
    public enum UpStatus { not_started, in_progress, completed, failed, cancelled }

    /** The answer of a blocking inference/up: OK, or ERROR with a message (HTTP 200 either way). */
    public record UpOutcome(boolean ok, String message) {
    }

    private final SimConfig config;
    private final Faults faults;
    private final PocEngine poc;
    private final InferenceServer inference;
    private final ScheduledExecutorService timer;

    private String model;
    private boolean running;
    private UpStatus upStatus = UpStatus.not_started;
    private long upStartedNanos;
    private long upFinishedNanos;
    private String upError;
    private CompletableFuture<UpOutcome> pendingUp;
    private ScheduledFuture<?> pendingTask;

    /** {@code timer} (shared by the process's nodes) brings vLLM up after SIM_INFERENCE_UP_DELAY; 0 picks a free port. */
    public MlNode(SimConfig config, Faults faults, PocEngine poc, InferenceStats stats, Vertx vertx, ObjectMapper json,
                  ScheduledExecutorService timer, int inferencePort) {
        this.config = config;
        this.faults = faults;
        this.poc = poc;
        this.timer = timer;
        this.inference = new InferenceServer(vertx, json, config, faults, stats, inferencePort, this::servedModel,
                this::inferenceHealthy, this::pocBlocksInference);
    }

    public InferenceServer inferenceServer() {
        return inference;
    }

    /** STOPPED, or INFERENCE while vLLM runs or starts (PoC v2 runs inside it). */
    public synchronized String serviceState() {
        return running || upStatus == UpStatus.in_progress ? "INFERENCE" : "STOPPED";
    }

    public synchronized boolean inferenceRunning() {
        return running;
    }

    public synchronized boolean inferenceHealthy() {
        return running;
    }

    /** The model being served or being brought up. */
    public synchronized String loadedModel() {
        return model;
    }

    private synchronized String servedModel() {
        return running ? model : null;
    }

    private boolean pocBlocksInference() {
        return !config.inferenceDuringPoc() && poc.isGenerating();
    }

    public boolean canServe(String modelId) {
        List<String> models = config.models();
        return models.contains("*") || models.contains(modelId);
    }

    /** Starts vLLM; the future completes when it is up or has failed (200 {"status":"ERROR"} like the real node). */
    public synchronized CompletableFuture<UpOutcome> startInference(String modelId) {
        if (running) {
            throw new HttpError(409, "VLLM is already running. Use /inference/down to stop it first.");
        }
        if (upStatus == UpStatus.in_progress) {
            throw new HttpError(409, "VLLM startup is already in progress. Use /inference/up/status to check status.");
        }
        model = modelId;
        upStatus = UpStatus.in_progress;
        upStartedNanos = System.nanoTime();
        upError = null;
        CompletableFuture<UpOutcome> future = new CompletableFuture<>();
        pendingUp = future;
        pendingTask = timer.schedule(() -> finishStart(future, modelId), config.inferenceUpDelay().toMillis(),
                TimeUnit.MILLISECONDS);
        Log.infof("inference/up %s: starting", modelId);
        return future;
    }

    private void finishStart(CompletableFuture<UpOutcome> future, String modelId) {
        UpOutcome outcome;
        synchronized (this) {
            if (pendingUp != future) {
                return; // cancelled meanwhile
            }
            String failure = null;
            if (faults.get().inferenceUpFails()) {
                failure = "vLLM failed to start: backend exited during startup (injected fault)";
            } else if (!canServe(modelId)) {
                failure = "vLLM failed to start: model " + modelId + " is not available on this node (serves "
                        + String.join(", ", config.models()) + ")";
            }
            if (failure == null) {
                try {
                    inference.start();
                    poc.backendsUp(inference.port());
                } catch (RuntimeException e) {
                    failure = e.getMessage();
                }
            }
            upFinishedNanos = System.nanoTime();
            pendingUp = null;
            if (failure == null) {
                running = true;
                upStatus = UpStatus.completed;
                outcome = new UpOutcome(true, null);
                Log.infof("inference/up %s: serving on %d", modelId, inference.port());
            } else {
                running = false;
                model = null;
                upStatus = UpStatus.failed;
                upError = failure;
                outcome = new UpOutcome(false, failure);
                Log.warnf("inference/up %s failed: %s", modelId, failure);
            }
        }
        future.complete(outcome);
    }

    /** inference/down: vLLM goes away (and PoC with it). */
    public void stopInference() {
        CompletableFuture<UpOutcome> cancelled;
        synchronized (this) {
            cancelled = pendingUp;
            if (pendingTask != null) {
                pendingTask.cancel(false);
            }
            if (cancelled != null) {
                upStatus = UpStatus.cancelled;
                upFinishedNanos = System.nanoTime();
                upError = "startup cancelled";
                pendingUp = null;
            }
            poc.backendsDown();
            inference.stop();
            running = false;
            model = null;
        }
        if (cancelled != null) {
            cancelled.complete(new UpOutcome(false, "startup cancelled by a stop"));
        }
    }

    /** /api/v1/stop: everything. */
    public void stopAll() {
        stopInference();
    }

    /** The body of GET /api/v1/inference/up/status. */
    public synchronized UpState upState() {
        Double elapsed = null;
        if (upStatus != UpStatus.not_started) {
            long end = upStatus == UpStatus.in_progress ? System.nanoTime() : upFinishedNanos;
            elapsed = (end - upStartedNanos) / 1e9;
        }
        return new UpState(upStatus.name(), upStatus == UpStatus.in_progress, running, elapsed, upError);
    }

    /** {@code {"status","is_starting","is_running","elapsed_seconds","error"}}. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record UpState(String status, boolean isStarting, boolean isRunning, Double elapsedSeconds, String error) {
    }
}
