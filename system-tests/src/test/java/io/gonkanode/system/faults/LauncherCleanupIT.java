package io.gonkanode.system.faults;

import io.gonkanode.system.TestStacks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/local/up}'s launcher as an operator runs it, in its own JVM: killed with SIGKILL it leaves
 * neither a service holding a port nor its embedded PostgreSQL behind, so the next start on the same data
 * folder and ports comes up; stopped with SIGTERM (what Ctrl-C amounts to) it stops the services before
 * the database, so none of them sees its database connections cut. (A SIGKILL can cut a request in flight; what
 * it must not do is leave anything running.)
 */
class LauncherCleanupIT {

    @Test
    void aLauncherKilledBySigkillLeavesNothingBehindAndAStoppedOneStopsTheDatabaseLast() throws Exception {
        Path dataDir = Files.createTempDirectory("gonka-launcher");
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ports.add(TestStacks.freePort());
        }
        List<String> args = List.of("--mlnodes", "1", "--data-dir", dataDir.toString(), "--quiet",
                "--db-port", ports.get(0).toString(), "--api-port", ports.get(1).toString(),
                "--registry-port", ports.get(2).toString(), "--collector-port", ports.get(3).toString(),
                "--mlnode-port", ports.get(4).toString(), "--mlnode-inference-port", ports.get(5).toString(),
                "--chain-port", ports.get(6).toString());

        Process first = launch(args, dataDir.resolve("first.out"));
        awaitUp(first, dataDir.resolve("first.out"));
        long postgres = postmasterPid(dataDir).orElseThrow();
        List<ProcessHandle> services = first.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).toList();
        assertEquals(5, services.size(), "chain-sim, registry, collector, api-node and one ML node run as the launcher's children");

        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (ProcessHandle service : services) {
                assertFalse(service.isAlive(), "service " + service.pid() + " outlived its launcher");
            }
            assertFalse(ProcessHandle.of(postgres).map(ProcessHandle::isAlive).orElse(false), "PostgreSQL outlived its launcher");
            for (int port : ports) {
                assertFalse(listening(port), "port " + port + " still taken");
            }
        });

        // the same folder and ports again; then an orderly stop, whose part of the logs must be clean
        List<String> logs = List.of("registry", "collector", "api");
        long[] logged = new long[logs.size()];
        for (int i = 0; i < logs.size(); i++) {
            logged[i] = Files.size(dataDir.resolve("logs").resolve(logs.get(i) + ".log"));
        }
        Process second = launch(args, dataDir.resolve("second.out"));
        awaitUp(second, dataDir.resolve("second.out"));
        second.destroy();
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the launcher stops on SIGTERM");
        assertTrue(postmasterPid(dataDir).isEmpty(), "PostgreSQL stopped with the launcher");
        for (int i = 0; i < logs.size(); i++) {
            String log = Files.readString(dataDir.resolve("logs").resolve(logs.get(i) + ".log")).substring((int) logged[i]);
            assertFalse(log.contains("has been closed") || log.contains("57P01"),
                    logs.get(i) + " saw its database go away before it stopped:\n" + log.substring(Math.max(0, log.length() - 3000)));
        }
    }

    private static Process launch(List<String> args, Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgonka.root=..", "-cp", "../local-stack/target/local-stack.jar:../local-stack/target/lib/*",
                "io.gonkanode.local.Up"));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Until the launcher prints that the stack is up: every service ready and the simulated nodes registered. */
    private static void awaitUp(Process launcher, Path output) {
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertTrue(launcher.isAlive(), "the launcher exited");
            return Files.isRegularFile(output) && Files.readString(output).contains("Gonka network node is up");
        });
    }

    private static Optional<Long> postmasterPid(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
