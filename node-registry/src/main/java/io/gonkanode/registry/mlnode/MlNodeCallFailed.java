package io.gonkanode.registry.mlnode;

/** An ML node call that did not succeed: unreachable, timed out, or answered with an error. */
public class MlNodeCallFailed extends RuntimeException {

    private final int status;

    public MlNodeCallFailed(String message, int status) {
        super(message);
        this.status = status;
    }

    /** HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
