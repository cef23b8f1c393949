package io.gonkanode.collector.registry;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/** The body of {@code PUT /internal/v1/round} on node-registry. */
@RegisterForReflection
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record RoundAnnouncement(long epoch, RoundPhase phase, long pocStartBlockHeight, String blockHash,
                                Map<String, ModelParams> models, Boolean pocStrongerRng, String mlnodeVersion) {

    public RoundAnnouncement(long epoch, RoundPhase phase, long pocStartBlockHeight, String blockHash, Map<String, ModelParams> models) {
        this(epoch, phase, pocStartBlockHeight, blockHash, models, null, null);
    }

    /** A model's PoC parameters as ML nodes need them, and the chain's governance vLLM args for it (null without a chain). */
    @RegisterForReflection
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record ModelParams(int seqLen, java.util.List<String> modelArgs) {

        public ModelParams(int seqLen) {
            this(seqLen, null);
        }
    }
}
