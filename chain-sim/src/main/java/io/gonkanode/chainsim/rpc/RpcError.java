package io.gonkanode.chainsim.rpc;

/** A JSON-RPC error: {@code {"code", "message", "data"}} as CometBFT answers it. */
public class RpcError extends Exception {

    private final int code;
    private final String data;

    public RpcError(int code, String message, String data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    public static RpcError parse(String data) {
        return new RpcError(-32700, "Parse error. Invalid JSON", data);
    }

    public static RpcError invalidRequest(String data) {
        return new RpcError(-32600, "Invalid Request", data);
    }

    public static RpcError methodNotFound(String method) {
        return new RpcError(-32601, "Method not found", "");
    }

    public static RpcError invalidParams(String data) {
        return new RpcError(-32602, "Invalid params", data);
    }

    public static RpcError internal(String data) {
        return new RpcError(-32603, "Internal error", data);
    }

    public int code() {
        return code;
    }

    public String data() {
        return data;
    }
}
