package io.gonkanode.chainsim.module;

import io.gonkanode.chainsim.tx.TxRejected;

/** The inference module's errors chain-sim raises, with upstream's codes and texts (codespace {@code inference}). */
public enum InferenceErrors {
    PARTICIPANT_NOT_FOUND(1103, "participant not found"),
    POC_WRONG_START_BLOCK_HEIGHT(1107, "start block height must be divisible by 240"),
    POC_TOO_LATE(1108, "POC submission is too late"),
    UPCOMING_EPOCH_NOT_FOUND(1128, "upcoming epoch group not found"),
    INVALID_MODEL(1134, "invalid model"),
    ILLEGAL_STATE(1137, "illegal state for the operation requested"),
    PARTICIPANT_BLOCKED(1155, "participant is blocked from participating in PoC"),
    NOT_SUPPORTED(1163, "operation not supported in current mode"),
    INVALID_ADDRESS(1164, "invalid address"),
    INVALID_PERMISSION(1166, "invalid permission"),
    EPOCH_INDEX_OUT_OF_RANGE(1174, "epoch index can only be current or upcoming epoch");

    private final int code;
    private final String text;

    InferenceErrors(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The error wrapped as the SDK wraps it: {@code "<detail>: <text>"}. */
    public TxRejected wrap(String detail) {
        return TxRejected.inference(code, detail + ": " + text);
    }
}
