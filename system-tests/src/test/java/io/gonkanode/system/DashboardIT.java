package io.gonkanode.system;

import io.gonkanode.local.LocalStack;
import io.gonkanode.local.StackOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

/**
 * node-registry's dashboard in a real browser: headless Debian Chromium driven by playwright-core
 * ({@code src/test/js/dashboard.mjs}) against the packaged stack with two simulated nodes and an admin
 * token, on chain-sim: the token is asked for, the table lists the nodes, the epoch advances, disable/enable work, the
 * chain's weights of the host and its nodes appear, a
 * killed node turns FAILED, delete asks first, refreshing shifts nothing, and the phone layout holds.
 * Needs Node.js and Chromium ({@code .ci/run} installs both and sets GONKA_REQUIRE_BROWSER=1); without
 * them it is skipped, unless that variable asks for it.
 */
class DashboardIT {

    @Test
    void theDashboardInARealBrowser() throws Exception {
        Browser.require();
        StackOptions o = TestStacks.options("dashboard");
        o.mlnodes = 2;
        o.adminToken = "dashboard-admin-token";
        o.env("registry", "GONKA_MANAGER_POLL_INTERVAL", "1s")
                .env("mlnode", "SIM_INFERENCE_UP_DELAY", "300ms");
        try (LocalStack stack = new LocalStack(o).start()) {
            Browser.run("dashboard.mjs", Map.of("DASHBOARD_URL", stack.registry().url() + "/", "ADMIN_TOKEN", o.adminToken,
                    "NODE_IDS", "mlnode-1,mlnode-2", "VICTIM_ID", "mlnode-1", "KILL_PID", Long.toString(stack.sims().get(0).pid()),
                    "SHOTS", Path.of("target", "dashboard").toAbsolutePath().toString()));
        }
    }
}
