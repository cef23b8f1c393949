package io.gonkanode.collector.chain;

/**
 * Epochs, phases and stage heights for a block height (spec gonka-network-node.md §5.1). Epochs follow each
 * other every {@code epoch_length} blocks from an anchor: a chain's latest epoch and its PoC start as
 * {@code EpochInfo} gives them (epochs may have had other lengths before), or, while the chain is still in epoch 0,
 * epoch 1 at {@code epoch_length - epoch_shift}. The latest epoch index increments at each PoC start. Epoch 0 never runs PoC.
 */
public final class EpochMath {

    /** Upstream's phase names. */
    public enum Phase { PoCGenerate, PoCGenerateWindDown, PoCValidate, PoCValidateWindDown, Inference }

    private final EpochParams p;
    private final long anchorEpoch;
    private final long anchorPocStart;

    public EpochMath(EpochParams params) {
        this(params, 1, params.firstPocStart());
    }

    /** Anchored at a chain's epoch {@code anchorEpoch} (≥ 1) whose PoC started at {@code anchorPocStart}. */
    public EpochMath(EpochParams params, long anchorEpoch, long anchorPocStart) {
        params.validate();
        if (anchorEpoch < 1 || anchorPocStart < 1) {
            throw new IllegalArgumentException("an anchor epoch is 1 or more with a positive PoC start");
        }
        this.p = params;
        this.anchorEpoch = anchorEpoch;
        this.anchorPocStart = anchorPocStart;
    }

    public EpochParams params() {
        return p;
    }

    /** The latest epoch at a height: the last one whose PoC has started (0 before the first PoC). */
    public long latestEpoch(long height) {
        long first = pocStart(1);
        if (height < first) {
            return 0;
        }
        return anchorEpoch + Math.floorDiv(height - anchorPocStart, p.epochLength());
    }

    /** PoC start height of epoch {@code n} (0 for epoch 0). */
    public long pocStart(long n) {
        return n <= 0 ? 0 : Math.max(1, anchorPocStart + (n - anchorEpoch) * p.epochLength());
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
        long next = n == 0 ? pocStart(1) : start + p.epochLength();
        if (n == 0) {
            return new Stages(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, next, new Window(0, 0), new Window(0, 0));
        }
        return new Stages(n, start, start + p.generationWindDown(), start + p.endOfGeneration(),
                start + p.validationStart(), start + p.validationWindDown(), start + p.endOfValidation(),
                start + p.setNewValidators(), start + p.claimMoney(), next - p.inferenceValidationCutoff(), next,
                new Window(start + 1, start + p.exchangeDeadline()),
                new Window(start + p.validationStart() + 1, start + p.endOfValidation()));
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
