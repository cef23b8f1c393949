package io.gonkanode.collector.registry;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/** The body of {@code PUT /internal/v1/round} on node-registry. */
@RegisterForReflection
public record RoundAnnouncement(long epoch, RoundPhase phase, long pocStartBlockHeight, String blockHash,
                                Map<String, ModelParams> models) {

    /** A model's PoC parameters as ML nodes need them. */
    @RegisterForReflection
    public record ModelParams(int seqLen) {
    }
}
