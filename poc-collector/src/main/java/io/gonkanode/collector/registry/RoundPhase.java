package io.gonkanode.collector.registry;

import io.gonkanode.collector.chain.EpochMath;

/** What ML nodes should be doing for PoC, as announced to node-registry (upstream's commands). */
public enum RoundPhase {
    GENERATE, VALIDATE, INFERENCE;

    /** GENERATE until generation ends, VALIDATE until validation ends, INFERENCE otherwise. */
    public static RoundPhase at(EpochMath math, long height) {
        long n = math.latestEpoch(height);
        if (n == 0) {
            return INFERENCE;
        }
        long offset = height - math.pocStart(n);
        if (offset < math.params().endOfGeneration()) {
            return GENERATE;
        }
        if (offset < math.params().endOfValidation()) {
            return VALIDATE;
        }
        return INFERENCE;
    }
}
