package io.gonkanode.chainsim.tx;

/**
 * A CheckTx (or DeliverTx) refusal as the chain answers it: an ABCI code within a codespace and the log text,
 * e.g. {@code code 4, codespace "sdk", "signature verification failed; ...: unauthorized"}.
 */
public class TxRejected extends Exception {

    private final int code;
    private final String codespace;

    public TxRejected(int code, String codespace, String log) {
        super(log);
        this.code = code;
        this.codespace = codespace;
    }

    public int code() {
        return code;
    }

    public String codespace() {
        return codespace;
    }

    public String log() {
        return getMessage();
    }

    /** Cosmos SDK errors (codespace {@code sdk}); the log ends with the error's own text, as the SDK wraps it. */
    public static TxRejected sdk(int code, String detail, String error) {
        return new TxRejected(code, "sdk", detail == null || detail.isEmpty() ? error : detail + ": " + error);
    }

    public static TxRejected decode(String detail) {
        return sdk(2, detail, "tx parse error");
    }

    public static TxRejected unauthorized(String detail) {
        return sdk(4, detail, "unauthorized");
    }

    public static TxRejected invalidRequest(String detail) {
        return sdk(18, detail, "invalid request");
    }

    public static TxRejected invalidAddress(String detail) {
        return sdk(7, detail, "invalid address");
    }

    public static TxRejected outOfGas(String detail) {
        return sdk(11, detail, "out of gas");
    }

    public static TxRejected insufficientFee(String detail) {
        return sdk(13, detail, "insufficient fee");
    }

    public static TxRejected inMempoolCache() {
        return sdk(19, "", "tx already in mempool");
    }

    public static TxRejected tooLarge(String detail) {
        return sdk(21, detail, "tx too large");
    }

    public static TxRejected invalidChainId(String detail) {
        return sdk(28, detail, "invalid chain-id");
    }

    public static TxRejected notSupported(String detail) {
        return sdk(37, detail, "feature not supported");
    }

    /** A rule of the inference module (codespace {@code inference}). */
    public static TxRejected inference(int code, String log) {
        return new TxRejected(code, "inference", log);
    }
}
