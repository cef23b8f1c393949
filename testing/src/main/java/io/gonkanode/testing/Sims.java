package io.gonkanode.testing;

import io.gonkanode.local.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Starts packaged mlnode-sim instances (the module builds before every service that uses it). */
public final class Sims {

    private Sims() {
    }

    /** The mlnode-sim jar, found from a sibling module's directory. */
    public static Path jar() {
        return packaged("mlnode-sim");
    }

    /** The packaged jar of a module of this build (run from a module's directory or the top). */
    public static Path packaged(String module) {
        for (Path candidate : new Path[] {
                Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar"),
                Path.of(module, "target", "quarkus-app", "quarkus-run.jar")}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(module + " is not packaged: run ./mvnw verify from the top (or package " + module + " first)");
    }

    /** A running simulated ML node: its id, management and inference ports, and its process. */
    public record Sim(String id, int managementPort, int inferencePort, ServiceProcess process) {

        /** Its management API. */
        public String url() {
            return "http://127.0.0.1:" + managementPort;
        }
    }

    /** A simulated ML node named {@code id} on free ports (see {@link #start(String, int, int, Map)}). */
    public static Sim start(String id, Map<String, String> env) {
        int management = ServiceProcess.freePort();
        int inference = ServiceProcess.freePort();
        return new Sim(id, management, inference, start(id, management, inference, env));
    }

    /** Stops every node of {@code sims} and empties the list. */
    public static void stopAll(List<Sim> sims) {
        sims.forEach(s -> s.process().stop());
        sims.clear();
    }

    /** A simulated ML node on the given management and inference ports, with fast test timings unless overridden. */
    public static ServiceProcess start(String name, int managementPort, int inferencePort, Map<String, String> env) {
        ServiceProcess.Builder b = ServiceProcess.builder(name, jar())
                .port(managementPort)
                .readinessPath("/api/v1/state")
                .env("SIM_INFERENCE_PORT", Integer.toString(inferencePort))
                .env("SIM_INFERENCE_UP_DELAY", "200ms")
                .env("SIM_CALLBACK_INTERVAL", "500ms")
                .env("SIM_CALLBACK_BACKOFF_INITIAL", "200ms")
                .env("SIM_NONCES_PER_MINUTE", "6000")
                .env("SIM_TIME_TO_FIRST_TOKEN", "0s")
                .env("SIM_TOKENS_PER_SECOND", "0");
        b.env(env);
        return b.build().start(Duration.ofSeconds(60));
    }
}
