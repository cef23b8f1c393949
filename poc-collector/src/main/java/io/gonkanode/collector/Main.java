package io.gonkanode.collector;

import io.gonkanode.common.HealthCheck;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts the service; {@code healthcheck} instead answers the container health check (see {@link HealthCheck}). */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        // a chain node URL that cannot be one: one clear line and no start at all (a stack trace would hide the setting)
        String chainUrl = System.getenv("DAPI_CHAIN_NODE__URL");
        var problem = chainUrl == null || chainUrl.isBlank() ? java.util.Optional.<String>empty()
                : io.gonkanode.collector.chain.ChainRpc.problem(chainUrl);
        if (problem.isPresent()) {
            System.err.println("ERROR " + problem.get() + "; not starting");
            System.exit(2);
        }
        HealthCheck.runOrCheck(args, 9100, "/q/health/ready");
    }
}
