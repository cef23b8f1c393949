package io.gonkanode.registry.manager;

import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.registry.config.GonkaConfig;
import io.gonkanode.registry.mlnode.MlNodeCallFailed;
import io.gonkanode.registry.mlnode.MlNodeClient;
import io.gonkanode.registry.mlnode.MlNodeEndpoints;
import io.gonkanode.registry.node.Node;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One poll of a node, turned into a typed {@link Observation}: {@code GET /api/v1/state}, and when the node
 * serves inference also its inference {@code /health}, {@code /api/v1/inference/pow/status} (unless the state already
 * says PoC is IDLE: nothing generates, so there is no stage to read; a third fewer requests on a large host) and,
 * when the state does not name it, the model it serves. A node that does not answer is an unreachable observation,
 * never an exception.
 */
@ApplicationScoped
public class NodePoller {

    private final MlNodeClient client;
    private final RequestLimiter limiter;
    private final GonkaConfig network;
    private final Timer pollTimer;

    private final io.gonkanode.registry.round.RoundService rounds;

    public NodePoller(MlNodeClient client, RequestLimiter limiter, GonkaConfig network, MeterRegistry metrics,
                      io.gonkanode.registry.round.RoundService rounds) {
        this.rounds = rounds;
        this.client = client;
        this.limiter = limiter;
        this.network = network;
        this.pollTimer = Timer.builder("registry.mlnode.poll").description("Latency of one node poll")
                .publishPercentiles(0.5, 0.99).register(metrics);
    }

    /** Where the node's management and inference APIs are, with the chain's MLNode version prefix (else the configured one). */
    public MlNodeEndpoints endpoints(Node node) {
        String chain = rounds.mlnodeVersion();
        return MlNodeEndpoints.of(node.host, node.pocPort, node.pocSegment, node.inferencePort, node.inferenceSegment,
                chain.isEmpty() ? network.mlnodeVersion().orElse("") : chain);
    }

    public CompletableFuture<Observation> poll(Node node) {
        MlNodeEndpoints ep = endpoints(node);
        long start = System.nanoTime();
        Instant startedAt = Instant.now();
        return limiter.call(() -> client.state(ep)).thenCompose(state -> {
            String s = state.path("state").asText(null);
            String version = state.path("version").asText("");
            String loaded = state.path("loaded_model").isTextual() ? state.path("loaded_model").textValue() : null;
            boolean pvi = state.path("poc_validation_inference").asBoolean(false);
            if (!"INFERENCE".equals(s)) {
                return CompletableFuture.completedFuture(new Observation(true, null, s, null, null, false, 0, loaded,
                        version, pvi, startedAt));
            }
            CompletableFuture<Integer> health = limiter.call(() -> client.inferenceHealth(ep));
            boolean idle = "IDLE".equals(state.path("poc_status").asText(null));
            CompletableFuture<JsonNode> pow = idle ? CompletableFuture.completedFuture(null)
                    : limiter.call(() -> client.powStatus(ep)).exceptionally(e -> null);
            CompletableFuture<String> model = loaded != null ? CompletableFuture.completedFuture(loaded)
                    : health.thenCompose(code -> code == 200 ? limiter.call(() -> client.servedModel(ep)).exceptionally(e -> null)
                    : CompletableFuture.completedFuture(null));
            return CompletableFuture.allOf(health, pow, model).thenApply(v -> {
                JsonNode p = pow.join();
                String pocStatus = p == null ? state.path("poc_status").asText(null) : p.path("status").asText(null);
                int code = health.join();
                return new Observation(true, null, s, pocStatus, generatingHeight(p), code == 200, code, model.join(),
                        version, pvi, startedAt);
            });
        }).exceptionally(e -> Observation.unreachable(message(e), startedAt))
                .whenComplete((o, e) -> pollTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    /** The stage a node generates for: the block height of its (last) PoC backend, when it reports one. */
    private static Long generatingHeight(JsonNode powStatus) {
        Long height = null;
        if (powStatus != null) {
            for (JsonNode backend : powStatus.path("backends")) {
                JsonNode h = backend.path("config").path("block_height");
                if (h.canConvertToLong() && h.isNumber()) {
                    height = h.longValue();
                }
            }
        }
        return height;
    }

    /** What went wrong, without the future's wrapping; an ML node's own refusal keeps its message. */
    static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof MlNodeCallFailed ? t.getMessage() : t.toString();
    }
}
