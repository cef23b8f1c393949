package io.gonkanode.collector.chain;

/**
 * Epochs, phases and stage heights for a block height (spec gonka-network-node.md §5.1). Epoch N >= 1
 * starts its PoC at {@code P_N = (epoch_length - epoch_shift) + (N - 1) * epoch_length}; the latest epoch
 * index increments there. Epoch 0 never runs PoC.
 */
public final class EpochMath {

    /** Upstream's phase names. */
    public enum Phase { PoCGenerate, PoCGenerateWindDown, PoCValidate, PoCValidateWindDown, Inference }

    private final EpochParams p;

    public EpochMath(EpochParams params) {
        params.validate();
        this.p = params;
    }

    public EpochParams params() {
        return p;
    }

    /** The latest epoch at a height: the last one whose PoC has started (0 before the first PoC). */
    public long latestEpoch(long height) {
        if (height < p.firstPocStart()) {
            return 0;
        }
        return 1 + (height - p.firstPocStart()) / p.epochLength();
    }

    /** PoC start height of epoch {@code n} (0 for epoch 0). */
    public long pocStart(long n) {
        return n <= 0 ? 0 : p.firstPocStart() + (n - 1) * p.epochLength();
    }

    public Phase phase(long height) {
        long n = latestEpoch(height);
        if (n == 0) {
            return Phase.Inference;
        }
        long offset = height - pocStart(n);
        if (offset < p.generationWindDown()) {
            return Phase.PoCGenerate;
        }
        if (offset < p.validationStart()) {
            return Phase.PoCGenerateWindDown;
        }
        if (offset < p.validationWindDown()) {
            return Phase.PoCValidate;
        }
        if (offset < p.endOfValidation()) {
            return Phase.PoCValidateWindDown;
        }
        return Phase.Inference;
    }

    /** Inside [P+1, end of generation + exchange] of the latest epoch, where generated batches are accepted. */
    public boolean inGenerationWindow(long height) {
        long n = latestEpoch(height);
        if (n == 0) {
            return false;
        }
        long offset = height - pocStart(n);
        return offset >= 0 && offset <= p.exchangeDeadline();
    }

    /** Inside [validation start, set new validators], where validation results are accepted. */
    public boolean inValidationWindow(long height) {
        long n = latestEpoch(height);
        if (n == 0) {
            return false;
        }
        long offset = height - pocStart(n);
        return offset >= p.validationStart() && offset <= p.setNewValidators();
    }

    /** The epoch whose participants are in force at a height: the last one past set_new_validators. */
    public long effectiveEpoch(long height) {
        long n = latestEpoch(height);
        if (n == 0) {
            return 0;
        }
        return height >= pocStart(n) + p.setNewValidators() ? n : n - 1;
    }

    /** Absolute heights of an epoch's stages, in upstream's {@code EpochStages} form. */
    public Stages stages(long n) {
        long start = pocStart(n);
        long next = n == 0 ? p.firstPocStart() : start + p.epochLength();
        if (n == 0) {
            return new Stages(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, next, new Window(0, 0), new Window(0, 0));
        }
        return new Stages(n, start, start + p.generationWindDown(), start + p.endOfGeneration(),
                start + p.validationStart(), start + p.validationWindDown(), start + p.endOfValidation(),
                start + p.setNewValidators(), start + p.claimMoney(), next - p.inferenceValidationCutoff(), next,
                new Window(start + 1, start + p.exchangeDeadline()),
                new Window(start + p.validationStart() + 1, start + p.setNewValidators()));
    }

    /** An inclusive window of heights. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Window(long start, long end) {
    }

    /** Upstream's EpochStages (proto JSON: zero values left out). */
    @io.quarkus.runtime.annotations.RegisterForReflection
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
    public record Stages(long epochIndex, long pocStart, long pocGenerationWindDown, long pocGenerationEnd,
                         long pocValidationStart, long pocValidationWindDown, long pocValidationEnd,
                         long setNewValidators, long claimMoney, long inferenceValidationCutoff, long nextPocStart,
                         Window pocExchangeWindow, Window pocValidationExchangeWindow) {
    }
}
