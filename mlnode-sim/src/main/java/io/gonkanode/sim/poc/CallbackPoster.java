package io.gonkanode.sim.poc;

import io.gonkanode.sim.config.SimConfig;
import io.quarkus.logging.Log;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.BooleanSupplier;

/**
 * Posts one callback payload the way the vLLM {@code CallbackSender} does: success is any status below
 * 400; otherwise retry after 1 s, 2 s, 4 s ... up to 30 s, at most 10 attempts, then drop it.
 */
public final class CallbackPoster {

    private final HttpClient http;
    private final SimConfig config;

    public CallbackPoster(HttpClient http, SimConfig config) {
        this.http = http;
        this.config = config;
    }

    /** True when delivered; false when every attempt failed or {@code cancelled} turned true. */
    public boolean post(URI url, byte[] body, BooleanSupplier cancelled) {
        long delay = config.callbackBackoffInitial().toMillis();
        long maxDelay = config.callbackBackoffMax().toMillis();
        int attempts = Math.max(1, config.callbackMaxRetries());
        for (int attempt = 1; attempt <= attempts; attempt++) {
            String failure;
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url)
                                .timeout(config.callbackTimeout())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() < 400) {
                    return true;
                }
                failure = "HTTP " + r.statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (attempt == attempts) {
                Log.errorf("callback to %s failed %d times (%s); payload dropped", url, attempts, failure);
                return false;
            }
            Log.warnf("callback to %s failed (%s), attempt %d/%d; retrying in %d ms", url, failure, attempt, attempts, delay);
            if (!sleep(delay, cancelled)) {
                return false;
            }
            delay = Math.min(delay * 2, maxDelay);
        }
        return false;
    }

    private static boolean sleep(long millis, BooleanSupplier cancelled) {
        long until = System.currentTimeMillis() + millis;
        try {
            while (System.currentTimeMillis() < until) {
                if (cancelled.getAsBoolean()) {
                    return false;
                }
                Thread.sleep(Math.min(50, Math.max(1, until - System.currentTimeMillis())));
            }
            return !cancelled.getAsBoolean();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
