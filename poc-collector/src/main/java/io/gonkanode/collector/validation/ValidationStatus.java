package io.gonkanode.collector.validation;

/** Where the validation of one (epoch, model, node) stands; stored by name in {@code poc.validation.status}. */
public enum ValidationStatus {
    /** Waiting for a validator (none asked yet, or the last one failed). */
    PENDING,
    /** A sample is with a validator node. */
    SENT,
    PASSED,
    /** The validator found mismatches beyond the statistical test, or the nonces are too porous. */
    FRAUD,
    /** No verdict before the weights were due. */
    UNVALIDATED;

    /** Still open: a verdict may yet come. */
    public boolean open() {
        return this == PENDING || this == SENT;
    }
}
