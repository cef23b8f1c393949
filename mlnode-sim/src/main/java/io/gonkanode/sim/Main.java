package io.gonkanode.sim;

import io.gonkanode.common.HealthCheck;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts the service; {@code healthcheck} instead answers the container health check (see {@link HealthCheck}). */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        HealthCheck.runOrCheck(args, 8080, "/health");
    }
}
