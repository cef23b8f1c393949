package io.gonkanode.system;

import io.gonkanode.local.LocalStack;
import io.gonkanode.local.StackOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * node-registry's dashboard in a real browser: headless Debian Chromium driven by playwright-core
 * ({@code src/test/js/dashboard.mjs}) against the packaged stack with two simulated nodes and an admin
 * token: the token is asked for, the table lists the nodes, the epoch advances, disable/enable work, a
 * killed node turns FAILED, delete asks first, refreshing shifts nothing, and the phone layout holds.
 * Needs Node.js and Chromium ({@code .ci/run} installs both and sets GONKA_REQUIRE_BROWSER=1); without
 * them it is skipped, unless that variable asks for it.
 */
class DashboardIT {

    static final Path JS = Path.of("src", "test", "js");
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));


    static boolean onPath(String command) {
        try {
            return new ProcessBuilder(command, "--version").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    static void requireBrowser() throws Exception {
        boolean required = "1".equals(System.getenv("GONKA_REQUIRE_BROWSER"));
        boolean ready = Files.isExecutable(CHROMIUM) && onPath("node");
        if (ready && !Files.isDirectory(JS.resolve("node_modules").resolve("playwright-core")) && onPath("npm")) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(JS.toFile()).inheritIO().start();
            ready = npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0;
        }
        if (!required) {
            Assumptions.assumeTrue(ready, "no Chromium at " + CHROMIUM + " or no Node.js: the dashboard's browser test is skipped");
        } else if (!ready) {
            throw new AssertionError("GONKA_REQUIRE_BROWSER=1 but Chromium (" + CHROMIUM + ") or Node.js with playwright-core is missing");
        }
    }

    @Test
    void theDashboardInARealBrowser() throws Exception {
        requireBrowser();
        StackOptions o = TestStacks.options("dashboard");
        o.mlnodes = 2;
        o.adminToken = "dashboard-admin-token";
        o.env("collector", "GONKA_CHAIN_BLOCK_TIME", "500ms")
                .env("collector", "GONKA_CHAIN_EPOCH_SHIFT", "60")
                .env("registry", "GONKA_MANAGER_POLL_INTERVAL", "1s")
                .env("mlnode", "SIM_INFERENCE_UP_DELAY", "300ms");
        try (LocalStack stack = new LocalStack(o).start()) {
            ProcessBuilder pb = new ProcessBuilder("node", "dashboard.mjs").directory(JS.toFile()).redirectErrorStream(true);
            pb.environment().put("DASHBOARD_URL", stack.registry().url() + "/");
            pb.environment().put("ADMIN_TOKEN", o.adminToken);
            pb.environment().put("NODE_IDS", "mlnode-1,mlnode-2");
            pb.environment().put("VICTIM_ID", "mlnode-1");
            pb.environment().put("KILL_PID", Long.toString(stack.sims().get(0).pid()));
            pb.environment().put("SHOTS", Path.of("target", "dashboard").toAbsolutePath().toString());
            pb.environment().put("CHROMIUM", CHROMIUM.toString());
            Process browser = pb.start();
            List<String> output = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[dashboard] " + line);
                    output.add(line);
                }
            }
            if (!browser.waitFor(5, TimeUnit.MINUTES)) {
                browser.destroyForcibly();
            }
            assertEquals(0, browser.exitValue(), String.join("\n", output));
        }
    }
}
