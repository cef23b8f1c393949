package io.gonkanode.chainsim.module;

import io.gonkanode.chainsim.epoch.EpochContext;
import io.gonkanode.chainsim.proto.inference.ConfirmationPoCEvent;
import io.gonkanode.chainsim.proto.inference.ConfirmationPoCPhase;
import io.gonkanode.chainsim.state.InferenceStore;
import io.gonkanode.chainsim.tx.TxRejected;

/**
 * When PoC messages are accepted (writes spec §3.3-3.5, §8): commits in the PoC exchange window of the
 * upcoming epoch, weight distributions from its PoC start through the end of validation, votes in the
 * validation exchange window; for a confirmation PoC the windows of its event, keyed by the trigger height.
 */
final class Windows {

    private Windows() {
    }

    static void requireCommitWindow(InferenceStore store, long stage, long height) throws TxRejected {
        ConfirmationPoCEvent cpoc = confirmation(store, stage);
        if (cpoc != null) {
            ConfirmationWindows w = ConfirmationWindows.of(cpoc, EpochModule.params(store));
            if (height < cpoc.getGenerationStartHeight() || height > w.exchangeEnd()) {
                throw InferenceErrors.POC_TOO_LATE.wrap("confirmation PoC batch submission window closed");
            }
            return;
        }
        EpochContext c = requireStage(store, stage);
        if (!c.inPocExchangeWindow(height)) {
            throw InferenceErrors.POC_TOO_LATE.wrap("PoC exchange window closed");
        }
    }

    static void requireDistributionWindow(InferenceStore store, long stage, long height) throws TxRejected {
        ConfirmationPoCEvent cpoc = confirmation(store, stage);
        if (cpoc != null) {
            if (height > ConfirmationWindows.of(cpoc, EpochModule.params(store)).validationEnd()) {
                throw InferenceErrors.POC_TOO_LATE.wrap("confirmation PoC validation window closed");
            }
            return;
        }
        EpochContext c = requireStage(store, stage);
        if (height < c.pocStart() || height > c.validationEnd()) {
            throw InferenceErrors.POC_TOO_LATE.wrap("PoC validation window closed");
        }
    }

    static void requireValidationWindow(InferenceStore store, long stage, long height) throws TxRejected {
        ConfirmationPoCEvent cpoc = confirmation(store, stage);
        if (cpoc != null) {
            ConfirmationWindows w = ConfirmationWindows.of(cpoc, EpochModule.params(store));
            if (cpoc.getPhase() != ConfirmationPoCPhase.CONFIRMATION_POC_VALIDATION || height < w.validationStart()
                    || height > w.validationEnd()) {
                throw InferenceErrors.POC_TOO_LATE.wrap("Confirmation PoC validation window closed");
            }
            return;
        }
        EpochContext c = requireStage(store, stage);
        if (!c.inValidationExchangeWindow(height)) {
            throw InferenceErrors.POC_TOO_LATE.wrap("PoC validation exchange window closed at height " + height);
        }
    }

    private static ConfirmationPoCEvent confirmation(InferenceStore store, long stage) {
        ConfirmationPoCEvent e = store.confirmationPoc;
        return e != null && e.getTriggerHeight() == stage ? e : null;
    }

    private static EpochContext requireStage(InferenceStore store, long stage) throws TxRejected {
        EpochContext upcoming = Messages.upcoming(store);
        if (upcoming == null) {
            throw InferenceErrors.UPCOMING_EPOCH_NOT_FOUND.wrap("failed to get upcoming epoch");
        }
        if (stage != upcoming.pocStart()) {
            throw InferenceErrors.POC_WRONG_START_BLOCK_HEIGHT.wrap("start block height " + stage
                    + " doesn't match PoC stage start " + upcoming.pocStart());
        }
        return upcoming;
    }
}
