package io.gonkanode.common;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * {@code X-Request-Id}: the caller's id when it is safe to log and echo, otherwise a new one. Every service
 * takes ids the same way; how the id reaches the log line (MDC for Jakarta REST, the routing context in
 * api-node) is the service's own business.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    /** The MDC key every log line carries the id under. */
    public static final String MDC_KEY = "request_id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** {@code given} when it is 1 to 128 characters of A-Z a-z 0-9 . _ : -, else a new id. */
    public static String accept(String given) {
        return given != null && isSafe(given) ? given : newId();
    }

    public static boolean isSafe(String id) {
        return SAFE.matcher(id).matches();
    }

    /**
     * A random (version 4) UUID from the thread's generator: request ids only need to be unique, and
     * {@link UUID#randomUUID()} would take the shared SecureRandom on every request.
     */
    public static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
