package io.gonkanode.chainsim.epoch;

/** The phase names of upstream's {@code GetCurrentPhase}. */
public enum Phase {
    PoCGenerate, PoCGenerateWindDown, PoCValidate, PoCValidateWindDown, Inference
}
