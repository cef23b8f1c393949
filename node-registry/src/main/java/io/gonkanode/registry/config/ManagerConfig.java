package io.gonkanode.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The node manager: how it polls and drives ML nodes. */
@ConfigMapping(prefix = "gonka.manager")
public interface ManagerConfig {

    /** Run the node manager at all (with several replicas only the advisory-lock holder does). */
    @WithDefault("true")
    boolean enabled();

    /** How often every node's /api/v1/state and inference /health are polled (upstream: 60 s). */
    @WithDefault("5s")
    Duration pollInterval();

    /** Timeout of one poll request. */
    @WithDefault("3s")
    Duration pollTimeout();

    /** Timeout of short commands (stop, PoC init/stop). */
    @WithDefault("30s")
    Duration commandTimeout();

    /** Timeout of inference/up, which loads a model and can take many minutes. */
    @WithDefault("20m")
    Duration inferenceUpTimeout();

    /** First wait before a failed command is tried again; doubles up to {@link #retryBackoffMax()}. */
    @WithDefault("5s")
    Duration retryBackoff();

    /** Longest wait between attempts on a node whose commands keep failing. */
    @WithDefault("2m")
    Duration retryBackoffMax();

    /** Polls and commands in flight at once across all nodes. */
    @WithDefault("128")
    int maxConcurrentRequests();

    /** Name of this replica, sent as the User-Agent to ML nodes (default: host name and process id). */
    Optional<String> instanceId();

    /** The ML node self-test (POST /admin/v1/nodes/{id}/test). */
    SelfTest selfTest();

    interface SelfTest {
        /** How long the test lets the node generate PoC artifacts (a real node posts every 5 s). */
        @WithDefault("30s")
        Duration generateFor();

        /** How long bringing the node's model up may take when it is not serving it yet. */
        @WithDefault("20m")
        Duration loadTimeout();

        /** Artifacts sent back to the node to validate. */
        @WithDefault("32")
        int validationSample();

        /** Timeout of the validation request and of the inference request. */
        @WithDefault("2m")
        Duration requestTimeout();
    }
}
