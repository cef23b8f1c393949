package io.gonkanode.chainsim.module;

import io.gonkanode.chainsim.state.InferenceStore;

/** What happens at the stages of the upcoming epoch's PoC round, inside the block's write. */
public interface RoundHooks {

    /** At P: the upcoming epoch and its (empty) epoch group appear. */
    void pocStart(InferenceStore store, long epoch, long pocStart);

    /** At the start of validation: the voting powers that will count are fixed (PoCValidationSnapshot). */
    void validationStart(InferenceStore store, long epoch, long height, byte[] appHash);

    /** At the end of validation: weights, active participants, the epoch group's members. */
    void validationEnd(InferenceStore store, long epoch, long height);

    /** At set-new-validators: the epoch becomes effective. */
    void setNewValidators(InferenceStore store, long epoch, long height);
}
