package io.gonkanode.registry.manager;

import io.gonkanode.registry.mlnode.Untrusted;

import java.time.Instant;

/**
 * One poll of a node: {@code GET /api/v1/state}, and when it serves inference its inference {@code /health}
 * and {@code /api/v1/inference/pow/status}. {@code generatingHeight} is the stage the node generates for.
 */
public record Observation(
        boolean reachable,
        String error,
        String state,
        String pocStatus,
        Long generatingHeight,
        boolean inferenceHealthy,
        int healthStatus,
        String loadedModel,
        String version,
        boolean pocValidationInference,
        Instant at) {

    /** Everything a node said is cut to what the state columns hold and stripped of control characters. */
    public Observation {
        error = Untrusted.text(error, 500);
        state = Untrusted.text(state, 32);
        pocStatus = Untrusted.text(pocStatus, 32);
        loadedModel = Untrusted.text(loadedModel, 255);
        version = Untrusted.text(version, 64);
    }

    public static Observation unreachable(String error, Instant at) {
        return new Observation(false, error, null, null, null, false, 0, null, null, false, at);
    }

    public boolean generating() {
        return "GENERATING".equals(pocStatus) || "MIXED".equals(pocStatus);
    }

    /** vLLM is up, healthy and serves {@code model}. */
    public boolean serves(String model) {
        return reachable && "INFERENCE".equals(state) && inferenceHealthy && model != null && model.equals(loadedModel);
    }
}
