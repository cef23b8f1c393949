package io.gonkanode.chainsim.epoch;

/**
 * One epoch's stage table: offsets from its PoC start {@code P} with the current parameters (reads spec
 * §2.5). Epoch 0 has no PoC: every boundary but the next PoC start is 0 and its phase is always Inference.
 */
public record EpochContext(long index, long pocStart, EpochParams params) {

    public long generationWindDown() {
        return index == 0 ? 0 : pocStart + (long) (params.pocStageDuration() * 0.8);
    }

    public long generationEnd() {
        return index == 0 ? 0 : pocStart + params.pocStageDuration();
    }

    public long exchangeDeadline() {
        return index == 0 ? 0 : generationEnd() + params.pocExchangeDuration();
    }

    public long validationStart() {
        return index == 0 ? 0 : generationEnd() + params.pocValidationDelay();
    }

    public long validationWindDown() {
        return index == 0 ? 0 : validationStart() + (long) (params.pocValidationDuration() * 0.8);
    }

    public long validationEnd() {
        return index == 0 ? 0 : validationStart() + params.pocValidationDuration();
    }

    public long setNewValidators() {
        return index == 0 ? 0 : validationEnd() + params.setNewValidatorsDelay();
    }

    public long claimMoney() {
        return index == 0 ? 0 : setNewValidators() + 1;
    }

    public long nextPocStart() {
        return index == 0 ? params.epochLength() - params.epochShift() : pocStart + params.epochLength();
    }

    public long inferenceValidationCutoff() {
        return nextPocStart() - params.inferenceValidationCutoff();
    }

    /** The PoC exchange window {@code [P+1, exchange deadline]} (commits); {0, 0} for epoch 0. */
    public long[] pocExchangeWindow() {
        return index == 0 ? new long[] {0, 0} : new long[] {pocStart + 1, exchangeDeadline()};
    }

    /** The validation exchange window {@code [validation start + 1, validation end]} (votes); {0, 0} for epoch 0. */
    public long[] validationExchangeWindow() {
        return index == 0 ? new long[] {0, 0} : new long[] {validationStart() + 1, validationEnd()};
    }

    public boolean inPocExchangeWindow(long height) {
        long[] w = pocExchangeWindow();
        return index != 0 && height >= w[0] && height <= w[1];
    }

    public boolean inValidationExchangeWindow(long height) {
        long[] w = validationExchangeWindow();
        return index != 0 && height >= w[0] && height <= w[1];
    }

    public Phase phaseAt(long height) {
        if (index == 0 || height < pocStart) {
            return Phase.Inference;
        }
        if (height < generationWindDown()) {
            return Phase.PoCGenerate;
        }
        if (height < validationStart()) {
            return Phase.PoCGenerateWindDown;
        }
        if (height < validationWindDown()) {
            return Phase.PoCValidate;
        }
        if (height < validationEnd()) {
            return Phase.PoCValidateWindDown;
        }
        return Phase.Inference;
    }
}
