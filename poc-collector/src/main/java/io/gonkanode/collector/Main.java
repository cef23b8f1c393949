package io.gonkanode.collector;

import io.gonkanode.collector.account.WarmKeys;
import io.gonkanode.collector.chain.ChainRpc;
import io.gonkanode.common.HealthCheck;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Optional;

/** Starts the service; {@code healthcheck} instead answers the container health check (see {@link HealthCheck}). */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        // a setting that cannot work: one clear line and no start at all (a stack trace would hide the setting);
        // not while the build records the class-data archive, which only loads the classes and stops
        Optional<String> problem = Boolean.getBoolean("quarkus.appcds.generate") ? Optional.empty() : settingsProblem();
        if (problem.isPresent()) {
            System.err.println("ERROR " + problem.get() + "; not starting");
            System.exit(2);
        }
        HealthCheck.runOrCheck(args, 9100, "/q/health/ready");
    }

    /**
     * No chain node URL (the collector follows a chain node, nothing else), one that cannot be one, or a warm key
     * (file or keyring entry) that is missing, unreadable, malformed, readable by others or not opened by its password.
     */
    static Optional<String> settingsProblem() {
        String chainUrl = System.getenv("DAPI_CHAIN_NODE__URL");
        if (chainUrl == null || chainUrl.isBlank()) {
            return Optional.of("DAPI_CHAIN_NODE__URL is not set: poc-collector follows a Gonka chain node, set it to the node's "
                    + "CometBFT RPC (e.g. http://node:26657; deploy/local/up starts chain-sim for a local run)");
        }
        if (ChainRpc.problem(chainUrl).isPresent()) {
            return ChainRpc.problem(chainUrl);
        }
        try {
            WarmKeys.fromEnvironment().load();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }
}
