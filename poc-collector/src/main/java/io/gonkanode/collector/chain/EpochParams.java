package io.gonkanode.collector.chain;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Gonka's {@code EpochParams} (block counts), with upstream's names. The stage offsets follow
 * {@code inference-chain/x/inference/types/epoch_params.go}: wind-downs start at 80 % of a stage.
 */
@RegisterForReflection
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
public record EpochParams(
        long epochLength,
        long epochShift,
        long pocStageDuration,
        long pocExchangeDuration,
        long pocValidationDelay,
        long pocValidationDuration,
        long setNewValidatorsDelay,
        long inferenceValidationCutoff) {

    /** Offset of the generation wind-down: floor(poc_stage_duration * 0.8). */
    public long generationWindDown() {
        return pocStageDuration * 8 / 10;
    }

    public long endOfGeneration() {
        return pocStageDuration;
    }

    public long exchangeDeadline() {
        return endOfGeneration() + pocExchangeDuration;
    }

    public long validationStart() {
        return endOfGeneration() + pocValidationDelay;
    }

    public long validationWindDown() {
        return validationStart() + pocValidationDuration * 8 / 10;
    }

    public long endOfValidation() {
        return validationStart() + pocValidationDuration;
    }

    public long setNewValidators() {
        return endOfValidation() + setNewValidatorsDelay;
    }

    public long claimMoney() {
        return setNewValidators() + 1;
    }

    /** Height of epoch 1's PoC start: epoch 0 lasts epoch_length - epoch_shift blocks. */
    public long firstPocStart() {
        return epochLength - epochShift;
    }

    /** Checks that the stages fit in an epoch, so phases never overlap. */
    public void validate() {
        if (epochLength <= 0 || pocStageDuration <= 0 || pocValidationDuration <= 0) {
            throw new IllegalArgumentException("epoch_length, poc_stage_duration and poc_validation_duration must be positive");
        }
        if (epochShift < 0 || epochShift >= epochLength) {
            throw new IllegalArgumentException("epoch_shift must be in [0, epoch_length)");
        }
        if (pocExchangeDuration < 0 || pocValidationDelay < 0 || setNewValidatorsDelay < 0 || inferenceValidationCutoff < 0) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (setNewValidators() >= epochLength) {
            throw new IllegalArgumentException("the PoC stages (" + setNewValidators() + " blocks to set_new_validators) do not fit in epoch_length "
                    + epochLength);
        }
    }
}
