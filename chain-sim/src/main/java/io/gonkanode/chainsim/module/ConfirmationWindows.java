package io.gonkanode.chainsim.module;

import io.gonkanode.chainsim.epoch.EpochParams;
import io.gonkanode.chainsim.proto.inference.ConfirmationPoCEvent;

/**
 * A confirmation PoC's heights (reads spec §2.6): inclusive ends, unlike the regular stage table.
 * GenerationEnd = start + stage − 1, ExchangeEnd = GenerationEnd + exchange, ValidationStart = ExchangeEnd + delay,
 * ValidationEnd = ValidationStart + duration − 1.
 */
public record ConfirmationWindows(long generationStart, long generationEnd, long exchangeEnd, long validationStart,
                                  long validationEnd) {

    public static ConfirmationWindows of(ConfirmationPoCEvent e, EpochParams p) {
        long start = e.getGenerationStartHeight();
        long generationEnd = start + p.pocStageDuration() - 1;
        long exchangeEnd = generationEnd + p.pocExchangeDuration();
        long validationStart = exchangeEnd + p.pocValidationDelay();
        return new ConfirmationWindows(start, generationEnd, exchangeEnd, validationStart,
                validationStart + p.pocValidationDuration() - 1);
    }
}
