package io.gonkanode.chainsim.query;

/** A failed query as abci_query answers it: code and codespace (reads spec §1.3) and the log. */
public class QueryError extends Exception {

    private final int code;
    private final String codespace;

    public QueryError(int code, String codespace, String log) {
        super(log);
        this.code = code;
        this.codespace = codespace;
    }

    /** A keeper's NotFound. */
    public static QueryError notFound(String what) {
        return new QueryError(38, "sdk", "rpc error: code = NotFound desc = " + what + ": not found");
    }

    /** InvalidArgument / FailedPrecondition. */
    public static QueryError invalid(String what) {
        return new QueryError(18, "sdk", "rpc error: code = InvalidArgument desc = " + what + ": invalid request");
    }

    public static QueryError unknownPath(String path) {
        return new QueryError(6, "sdk", "unknown query path: " + path + ": unknown request");
    }

    public int code() {
        return code;
    }

    public String codespace() {
        return codespace;
    }
}
