package io.gonkanode.common.rest;

/**
 * A failure the client can act on: answered with its status and {@code {"error": ...}}, where the error is
 * a message or, for upstream's batch shape, a structured object.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final transient Object error;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
        this.error = message;
    }

    public ApiException(int status, String message, Object structuredError) {
        super(message);
        this.status = status;
        this.error = structuredError;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** A dependency that cannot answer now: try again later (503). */
    public static ApiException unavailable(String message) {
        return new ApiException(503, message);
    }

    public int status() {
        return status;
    }

    public Object error() {
        return error;
    }
}
