package io.gonkanode.system;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Headless Debian Chromium driven by playwright-core scripts in {@code src/test/js}. {@code .ci/run} installs both and
 * sets GONKA_REQUIRE_BROWSER=1; without them a browser check is skipped, unless that variable asks for it.
 */
final class Browser {

    static final Path JS = Path.of("src", "test", "js");
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private Browser() {
    }

    static boolean required() {
        return "1".equals(System.getenv("GONKA_REQUIRE_BROWSER"));
    }

    private static boolean onPath(String command) {
        try {
            return new ProcessBuilder(command, "--version").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    /** Chromium and Node.js are there, and playwright-core (installed with npm when missing). */
    static boolean ready() throws Exception {
        boolean ready = Files.isExecutable(CHROMIUM) && onPath("node");
        if (ready && !Files.isDirectory(JS.resolve("node_modules").resolve("playwright-core")) && onPath("npm")) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(JS.toFile()).inheritIO().start();
            ready = npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0;
        }
        return ready;
    }

    /** Skips the test without a browser, or fails it when one is required. */
    static void require() throws Exception {
        boolean ready = ready();
        if (!required()) {
            Assumptions.assumeTrue(ready, "no Chromium at " + CHROMIUM + " or no Node.js: the browser test is skipped");
        } else if (!ready) {
            throw new AssertionError("GONKA_REQUIRE_BROWSER=1 but Chromium (" + CHROMIUM + ") or Node.js with playwright-core is missing");
        }
    }

    /** Runs a script with its environment (plus CHROMIUM), echoing its lines; it must exit 0. */
    static void run(String script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(JS.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("CHROMIUM", CHROMIUM.toString());
        Process browser = pb.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println("[" + script + "] " + line);
                output.add(line);
            }
        }
        if (!browser.waitFor(5, TimeUnit.MINUTES)) {
            browser.destroyForcibly();
        }
        assertEquals(0, browser.exitValue(), String.join("\n", output));
    }
}
