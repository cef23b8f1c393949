package io.gonkanode.collector.chain;

import io.gonkanode.collector.proto.ConfirmationPoCEvent;
import io.gonkanode.collector.proto.ConfirmationPoCPhase;

/**
 * An active confirmation PoC event (reads §2.6 step 8, `confirmation_poc_event.go`): the stage is the event's
 * {@code trigger_height}, the seed its {@code poc_seed_block_hash} exactly as the chain wrote it (lower-case hex,
 * unlike a regular stage's), and its windows are inclusive-end, counted from {@code generation_start_height}.
 */
public record ConfirmationPoc(long epochIndex, long sequence, long triggerHeight, long generationStart, long generationEnd,
                              long exchangeEnd, long validationStart, long validationEnd, ConfirmationPoCPhase chainPhase,
                              String seedHash) {

    public static ConfirmationPoc of(ConfirmationPoCEvent e, EpochParams p) {
        long generationEnd = e.getGenerationStartHeight() + p.pocStageDuration() - 1;
        long exchangeEnd = generationEnd + p.pocExchangeDuration();
        long validationStart = exchangeEnd + p.pocValidationDelay();
        return new ConfirmationPoc(e.getEpochIndex(), e.getEventSequence(), e.getTriggerHeight(), e.getGenerationStartHeight(),
                generationEnd, exchangeEnd, validationStart, validationStart + p.pocValidationDuration() - 1, e.getPhase(),
                e.getPocSeedBlockHash());
    }

    /** ML nodes generate: the chain says generation and the height is inside the generation window (upstream's StartPoc). */
    public boolean generating(long height) {
        return chainPhase == ConfirmationPoCPhase.CONFIRMATION_POC_GENERATION && height >= generationStart && height <= generationEnd;
    }

    /** ML nodes stop generating and validate: from the end of generation until the event's validation ends. */
    public boolean validating(long height) {
        boolean phase = chainPhase == ConfirmationPoCPhase.CONFIRMATION_POC_VALIDATION
                || (chainPhase == ConfirmationPoCPhase.CONFIRMATION_POC_GENERATION && height > generationEnd);
        return phase && height <= validationEnd; // upstream brings inference back up at validation end + 1
    }

    /** Batches are taken from generation start to the end of the exchange window (upstream's phase.go). */
    public boolean acceptsBatches(long height) {
        return height >= generationStart && height <= exchangeEnd && (chainPhase == ConfirmationPoCPhase.CONFIRMATION_POC_GENERATION
                || chainPhase == ConfirmationPoCPhase.CONFIRMATION_POC_VALIDATION);
    }
}
