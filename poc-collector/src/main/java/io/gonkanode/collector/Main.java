package io.gonkanode.collector;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Starts the service; with the single argument {@code healthcheck} it instead asks the running service
 * whether it is ready and exits 0 or 1. Container images without curl (the Quarkus micro image) use this
 * as their HEALTHCHECK: {@code ["CMD", "/work/application", "healthcheck"]}.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length == 1 && "healthcheck".equals(args[0])) {
            System.exit(healthcheck());
        }
        Quarkus.run(args);
    }

    static int healthcheck() {
        String port = System.getenv().getOrDefault("QUARKUS_HTTP_PORT", "9100");
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? 0 : 1;
        } catch (Exception e) {
            return 1;
        }
    }
}
