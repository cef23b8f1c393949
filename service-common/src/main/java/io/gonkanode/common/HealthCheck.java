package io.gonkanode.common;

import io.quarkus.runtime.Quarkus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container health check every service's {@code Main} offers: with the single argument
 * {@code healthcheck} the binary asks the running service whether it is ready and exits 0 or 1, so images
 * without curl (the Quarkus micro image) can use {@code ["CMD", "/work/application", "healthcheck"]}.
 */
public final class HealthCheck {

    private HealthCheck() {
    }

    /**
     * Runs the service, or answers the health check when asked to.
     *
     * @param defaultPort the service's port when {@code QUARKUS_HTTP_PORT} is not set
     * @param path        the path that answers 200 when the service is ready
     */
    public static void runOrCheck(String[] args, int defaultPort, String path) {
        if (args.length == 1 && "healthcheck".equals(args[0])) {
            System.exit(check(System.getenv().getOrDefault("QUARKUS_HTTP_PORT", Integer.toString(defaultPort)), path));
        }
        Quarkus.run(args);
    }

    /** 0 when {@code http://127.0.0.1:port/path} answers 200 within a few seconds, else 1. */
    public static int check(String port, String path) {
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? 0 : 1;
        } catch (Exception e) {
            return 1;
        }
    }
}
