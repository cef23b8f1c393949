package io.gonkanode.sim.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every knob of the simulator; each key is also an environment variable, e.g. {@code sim.nonces-per-minute}
 * is {@code SIM_NONCES_PER_MINUTE}. Defaults behave like one real ML node with one vLLM instance.
 */
@ConfigMapping(prefix = "sim")
public interface SimConfig {

    /** Port of the OpenAI-compatible inference server (the real node's 5000); 0 picks a free port. */
    @WithDefault("5000")
    int inferencePort();

    /**
     * ML node API versions accepted as a leading path segment ({@code /v3.0.8/api/v1/state}) and stripped, as the
     * guide's nginx in front of an ML node strips its version's prefix; other versions answer 404 like it (SIM_API_VERSIONS).
     */
    @WithDefault("v3.0.8")
    List<String> apiVersions();

    /** Models this node can load with inference/up; {@code *} accepts any model id. */
    @WithDefault("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8")
    List<String> models();

    /** Number of vLLM backends ("GPU groups"); PoC nonces are split across them. */
    @WithDefault("1")
    int backends();

    /** PoC v2 nonces per minute per backend (a real vLLM instance does about 1,050). */
    @WithDefault("1050")
    double noncesPerMinute();

    /** How often generated artifacts are posted to the callback URL (real: POC_CALLBACK_INTERVAL_SEC=5). */
    @WithDefault("5s")
    Duration callbackInterval();

    /** Attempts per callback payload before it is dropped (real: POC_CALLBACK_MAX_RETRIES=10). */
    @WithDefault("10")
    int callbackMaxRetries();

    /** First retry delay of a failed callback; doubles up to {@link #callbackBackoffMax()}. */
    @WithDefault("1s")
    Duration callbackBackoffInitial();

    /** Longest retry delay of a failed callback. */
    @WithDefault("30s")
    Duration callbackBackoffMax();

    /** Timeout of one callback POST (real: 10 s). */
    @WithDefault("10s")
    Duration callbackTimeout();

    /** Time to first token of a completion; 0 answers at once. */
    @WithDefault("100ms")
    Duration timeToFirstToken();

    /** Generation speed after the first token; 0 means no delay at all (benchmark mode). */
    @WithDefault("50")
    double tokensPerSecond();

    /** Completion length in tokens when max_tokens does not cut it shorter. */
    @WithDefault("16")
    int completionTokens();

    /** How long inference/up takes to bring the model up. */
    @WithDefault("2s")
    Duration inferenceUpDelay();

    /** Share of honestly recomputed nonces that a validator still counts as mismatched (cross-GPU noise). */
    @WithDefault("0.01")
    double validationMismatchRate();

    /** Serve inference while generating PoC (real vLLM answers 503 then). */
    @WithDefault("false")
    boolean inferenceDuringPoc();

    /** Version reported by /api/v1/state. */
    @WithDefault("3.0.14")
    String version();

    /** GPU model reported by /api/v1/gpu/devices. */
    @WithDefault("NVIDIA H100 80GB HBM3")
    String gpuName();

    /** Number of GPUs reported. */
    @WithDefault("8")
    int gpuCount();

    /**
     * How many ML nodes this process plays (SIM_NODES), each with its own state, faults, PoC and inference server: node 0
     * on the Quarkus HTTP port and {@link #inferencePort()}, node i on {@link #nodePortBase()} + i - 1 and inference
     * port + i. One process can so stand in for a host's whole fleet (issue 18: 1,000 nodes).
     */
    @WithDefault("1")
    int nodes();

    /**
     * Management port of node 1 when {@link #nodes()} &gt; 1; node i listens on base + i - 1 (SIM_NODE_PORT_BASE).
     * Unset: the Quarkus HTTP port + 1. 0: every extra node picks a free port (see GET /sim/v1/nodes).
     */
    Optional<Integer> nodePortBase();

    /** Model to bring up at start, as if inference/up had been called (unset: start STOPPED like a real node). */
    Optional<String> autoStartModel();

    /** Initial fault injection; all can be changed at runtime with PUT /sim/v1/faults. */
    Fault fault();

    interface Fault {
        /** inference/up answers 200 {"status":"ERROR"} and the node stays STOPPED. */
        @WithDefault("false")
        boolean inferenceUpFails();

        /** PoC artifacts are generated but never posted. */
        @WithDefault("false")
        boolean noCallbacks();

        /** Completions answer 500. */
        @WithDefault("false")
        boolean inferenceErrors();

        /** Completions never answer (the connection stays open). */
        @WithDefault("false")
        boolean inferenceHangs();

        /** Streams are cut after the first chunks, without [DONE]. */
        @WithDefault("false")
        boolean inferenceDrops();

        /** Artifacts are forged (random vectors): a validator flags them. */
        @WithDefault("false")
        boolean cheater();

        /** Delay before /api/v1/state answers. */
        @WithDefault("0s")
        Duration stateDelay();
    }
}
