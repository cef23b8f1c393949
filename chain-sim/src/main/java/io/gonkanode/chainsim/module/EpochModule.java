package io.gonkanode.chainsim.module;

import io.gonkanode.chainsim.epoch.EpochContext;
import io.gonkanode.chainsim.epoch.EpochParams;
import io.gonkanode.chainsim.proto.inference.ConfirmationPoCEvent;
import io.gonkanode.chainsim.proto.inference.ConfirmationPoCPhase;
import io.gonkanode.chainsim.proto.inference.PartialUpgrade;
import io.gonkanode.chainsim.state.InferenceStore;

import java.util.HexFormat;

/**
 * The inference module's end-of-block work (reads spec §2.4): at the effective epoch's next PoC start the
 * upcoming epoch {N+1, P} appears; at its end of validation the round is settled (the settlement step is handed
 * in); at its set-new-validators it becomes the effective epoch. What each stage does is {@link RoundHooks}'. Also partial upgrades of the MLNode version and
 * the confirmation PoC event's phases.
 */
public final class EpochModule {

    private final RoundHooks hooks;

    public EpochModule(RoundHooks hooks) {
        this.hooks = hooks;
    }

    public static EpochParams params(InferenceStore store) {
        var p = store.params.getEpochParams();
        return new EpochParams(p.getEpochLength(), p.getEpochShift(), p.getPocStageDuration(), p.getPocExchangeDuration(),
                p.getPocValidationDelay(), p.getPocValidationDuration(), p.getSetNewValidatorsDelay(), p.getInferenceValidationCutoff());
    }

    /** The effective epoch's context, which before its set-new-validators targets the next PoC start. */
    public static EpochContext effective(InferenceStore store) {
        return new EpochContext(store.effectiveEpoch, store.pocStartOf(store.effectiveEpoch), params(store));
    }

    /** The latest epoch's context (upcoming if there is one): the anchor of the stage table hosts read. */
    public static EpochContext latest(InferenceStore store) {
        long latest = store.latestEpoch();
        return new EpochContext(latest, store.pocStartOf(latest), params(store));
    }

    /** The work at the end of block {@code height}, whose hash is {@code blockHash}; {@code appHash}: the state before it. */
    public void endBlock(InferenceStore store, long height, byte[] blockHash, byte[] appHash) {
        EpochParams p = params(store);
        long effective = store.effectiveEpoch;
        boolean hasUpcoming = store.epochs.containsKey(effective + 1);
        if (!hasUpcoming && height == effective(store).nextPocStart()) {
            store.epochs.put(effective + 1, height);
            hooks.pocStart(store, effective + 1, height);
        } else if (hasUpcoming) {
            EpochContext upcoming = new EpochContext(effective + 1, store.pocStartOf(effective + 1), p);
            if (height == upcoming.validationStart()) {
                hooks.validationStart(store, effective + 1, height, appHash);
            }
            if (height == upcoming.validationEnd()) {
                hooks.validationEnd(store, effective + 1, height);
            }
            if (height == upcoming.setNewValidators()) {
                store.effectiveEpoch = effective + 1;
                hooks.setNewValidators(store, effective + 1, height);
            }
        }
        for (PartialUpgrade u : store.partialUpgrades) {
            if (u.getHeight() == height && !u.getNodeVersion().isEmpty()) {
                store.mlnodeVersion = u.getNodeVersion();
            }
        }
        store.partialUpgrades.removeIf(u -> u.getHeight() < height);
        confirmationPoc(store, height, blockHash, p);
    }

    /** Schedules a confirmation PoC: triggered at {@code trigger}, generating from trigger + max(cutoff, 1). */
    public static void triggerConfirmationPoc(InferenceStore store, long trigger, long sequence) {
        long start = trigger + Math.max(store.params.getEpochParams().getInferenceValidationCutoff(), 1);
        store.confirmationPoc = ConfirmationPoCEvent.newBuilder().setEpochIndex(store.effectiveEpoch).setEventSequence(sequence)
                .setTriggerHeight(trigger).setGenerationStartHeight(start).setPhase(ConfirmationPoCPhase.CONFIRMATION_POC_GRACE_PERIOD)
                .build();
    }

    private static void confirmationPoc(InferenceStore store, long height, byte[] blockHash, EpochParams p) {
        ConfirmationPoCEvent e = store.confirmationPoc;
        if (e == null) {
            return;
        }
        ConfirmationWindows w = ConfirmationWindows.of(e, p);
        ConfirmationPoCEvent.Builder b = e.toBuilder();
        if (height == w.generationStart()) {
            // the chain writes the seed hash in lower case, unlike the block ids hosts read elsewhere
            b.setPhase(ConfirmationPoCPhase.CONFIRMATION_POC_GENERATION).setPocSeedBlockHash(HexFormat.of().formatHex(blockHash));
        } else if (height == w.validationStart()) {
            b.setPhase(ConfirmationPoCPhase.CONFIRMATION_POC_VALIDATION);
        } else if (height == w.validationEnd() + 1) {
            b.setPhase(ConfirmationPoCPhase.CONFIRMATION_POC_COMPLETED);
        }
        store.confirmationPoc = height >= w.validationEnd() + 1 + p.setNewValidatorsDelay() ? null : b.build();
    }

    /** Whether a confirmation PoC counts as active for EpochInfo (generation or validation under way). */
    public static boolean confirmationActive(InferenceStore store) {
        ConfirmationPoCEvent e = store.confirmationPoc;
        return e != null && (e.getPhase() == ConfirmationPoCPhase.CONFIRMATION_POC_GENERATION
                || e.getPhase() == ConfirmationPoCPhase.CONFIRMATION_POC_VALIDATION
                || e.getPhase() == ConfirmationPoCPhase.CONFIRMATION_POC_GRACE_PERIOD);
    }
}
