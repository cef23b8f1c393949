package io.gonkanode.protocol.proofs;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's per-IP limiter of the proofs routes (writes spec §5): 5 requests a second, bursts of 30, an idle
 * client forgotten after 3 minutes. A token bucket per address.
 */
public final class RateLimiter {

    static final double RATE_PER_SECOND = 5;
    static final double BURST = 30;
    static final long EXPIRY_NANOS = 180_000_000_000L;

    private static final class Bucket {
        double tokens = BURST;
        long updated;
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Takes a token for {@code ip} at {@code nowNanos}; false when the client is over its rate. */
    public boolean allow(String ip, long nowNanos) {
        if (buckets.size() > 10_000) {
            forgetIdle(nowNanos);
        }
        Bucket b = buckets.computeIfAbsent(ip, k -> {
            Bucket fresh = new Bucket();
            fresh.updated = nowNanos;
            return fresh;
        });
        synchronized (b) {
            b.tokens = Math.min(BURST, b.tokens + (nowNanos - b.updated) / 1e9 * RATE_PER_SECOND);
            b.updated = nowNanos;
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }

    private void forgetIdle(long nowNanos) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().updated > EXPIRY_NANOS) {
                it.remove();
            }
        }
    }
}
