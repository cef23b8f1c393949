package io.gonkanode.collector.artifact;

import io.gonkanode.common.rest.ApiException;

import java.util.Locale;

/** A PoC batch refused, with why: the reason is the {@code reason} tag of {@code collector_batches_rejected_total}. */
public class BatchRejected extends ApiException {

    /** Why a batch was refused. */
    public enum Reason {
        /** Not JSON, a field of the wrong type, a required one missing, too many artifacts. */
        MALFORMED,
        /** A vector that is not base64 or is empty. */
        VECTOR,
        UNKNOWN_MODEL,
        /** Outside the generation window. */
        WINDOW,
        STAGE,
        BLOCK_HASH,
        PUBLIC_KEY,
        NODE,
        /** The database could not take it: the ML node sends it again. */
        STORE;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public BatchRejected(Reason reason, int status, String message) {
        super(status, message);
        this.reason = reason;
    }

    static BatchRejected malformed(String message) {
        return new BatchRejected(Reason.MALFORMED, 400, message);
    }

    static BatchRejected vector(String message) {
        return new BatchRejected(Reason.VECTOR, 400, message);
    }

    public Reason reason() {
        return reason;
    }
}
