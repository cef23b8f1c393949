package io.gonkanode.chainsim.epoch;

/**
 * The chain's {@code EpochParams} that drive the stage table (reads spec §2.5, §2.7), in blocks.
 * {@code pocExchangeDuration} is deprecated upstream but still counted in the exchange deadline.
 */
public record EpochParams(long epochLength, long epochShift, long pocStageDuration, long pocExchangeDuration,
                          long pocValidationDelay, long pocValidationDuration, long setNewValidatorsDelay,
                          long inferenceValidationCutoff) {

    /**
     * Fast defaults: a whole epoch with its PoC round in about two minutes at one block a second, keeping
     * mainnet's proportions where they matter (a validation window longer than generation, a delay before
     * set-new-validators so that seeds rotate).
     */
    public static EpochParams fast() {
        return new EpochParams(120, 100, 20, 0, 3, 30, 5, 2);
    }

    /** Mainnet's values after the v0.2.14 upgrade handlers (reads spec §8). */
    public static EpochParams mainnet() {
        return new EpochParams(17280, 16980, 35, 0, 5, 240, 120, 2);
    }

    public EpochParams {
        if (epochLength <= 0 || pocStageDuration <= 0 || pocValidationDuration <= 0 || setNewValidatorsDelay < 0
                || epochShift < 0 || epochShift >= epochLength || pocExchangeDuration < 0 || pocValidationDelay < 0
                || inferenceValidationCutoff < 0) {
            throw new IllegalArgumentException("inconsistent epoch parameters: " + this);
        }
        long round = pocStageDuration + pocValidationDelay + pocValidationDuration + setNewValidatorsDelay + 1;
        if (round >= epochLength) {
            throw new IllegalArgumentException("the PoC round (" + round + " blocks) must fit in an epoch of " + epochLength);
        }
    }
}
