package io.gonkanode.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) run as its own JVM, the way an
 * operator runs it: by {@code deploy/local/up} and by the tests that restart or kill a service. Its output
 * goes to a log file and, for a console, line by line with a {@code [name]} prefix. It runs in a session of
 * its own, so a Ctrl-C reaches only the launcher, which stops the services in order; and the {@link Reaper}
 * stops it if the launcher dies without doing so.
 */
public final class ServiceProcess implements AutoCloseable {

    /**
     * How the local stack runs a service: a heap that starts at 32 MiB and grows as needed up to 384 MiB (left to
     * the JVM, the first heap is 1/64 of the machine's memory, and a start-up's garbage touches all of it: ~45 MiB
     * more resident memory on a 24 GiB machine), collected by the serial collector (one thread, no GC threads
     * idling beside two cores), and the C heap handed back to the system every 2 s (the compiler's and the start-up's
     * scratch memory, ~20 MiB, stays resident otherwise; the option exists from Java 17.0.9 on). See
     * docs/benchmarks.md, "Start-up and memory".
     */
    public static final List<String> SERVICE_JVM_OPTIONS = serviceJvmOptions(Runtime.version());

    static List<String> serviceJvmOptions(Runtime.Version java) {
        List<String> options = new ArrayList<>(List.of("-Xms32m", "-Xmx384m", "-XX:+UseSerialGC"));
        if (java.feature() >= 21 || java.feature() == 17 && java.update() >= 9) {
            options.add("-XX:TrimNativeHeapInterval=2000");
        }
        return List.copyOf(options);
    }

    /**
     * The class-data archive Quarkus writes beside the jar ({@code quarkus.package.jar.appcds.enabled}): the classes
     * the service loads while starting, parsed and verified once at build time. It names the jar relative to its
     * directory, so a service that has one runs from there.
     */
    private static final String APP_CDS = "app-cds.jsa";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final int port;
    private final String readinessPath;
    private final Path logFile;
    private final PrintStream console;
    private final Path directory;
    private Process process;

    private ServiceProcess(Builder b) {
        this.name = b.name;
        this.port = b.port > 0 ? b.port : freePort();
        this.readinessPath = b.readinessPath;
        this.logFile = b.logFile;
        this.console = b.console;
        this.environment = new LinkedHashMap<>(b.environment);
        this.environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        if (System.getenv("MALLOC_ARENA_MAX") == null) {
            // glibc gives each thread that allocates natively an arena of its own; two keep a JVM's resident memory lower
            this.environment.putIfAbsent("MALLOC_ARENA_MAX", "2");
        }
        this.command = new ArrayList<>();
        command.add("setsid");
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(b.jvmOptions);
        b.properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        Path jar = b.jar.toAbsolutePath().normalize();
        this.directory = Files.isRegularFile(jar.resolveSibling(APP_CDS)) ? jar.getParent() : null;
        if (directory != null) {
            command.add("-XX:SharedArchiveFile=" + APP_CDS);
        }
        command.add("-jar");
        command.add(directory != null ? jar.getFileName().toString() : jar.toString());
    }

    public static Builder builder(String name, Path jar) {
        return new Builder(name, jar);
    }

    /** A TCP port that was free a moment ago on 127.0.0.1. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the JVM and waits until the readiness path answers 200. */
    public ServiceProcess start(Duration timeout) {
        start();
        return awaitReady(timeout);
    }

    /** Starts the JVM without waiting (several services boot together; then await each). */
    public synchronized ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            if (console == null) {
                pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            }
            pb.environment().putAll(environment);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        Reaper.get().watch(process.pid());
        if (console != null) {
            Process p = process;
            Thread pump = new Thread(() -> pump(p), "log-" + name);
            pump.setDaemon(true);
            pump.start();
        }
        return this;
    }

    private void pump(Process p) {
        String prefix = "[" + name + "] ";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Files.writeString(logFile, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                console.println(prefix + line);
            }
        } catch (IOException e) {
            // the process went away
        }
    }

    /** Waits until the readiness path answers 200; fails if the process exits first. */
    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = URI.create(url() + readinessPath);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + logFile);
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + logFile);
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The operating-system process id, or -1 when not running. */
    public synchronized long pid() {
        return isAlive() ? process.pid() : -1;
    }

    /** SIGTERM, then waits for a clean exit (SIGKILL after 30 s). */
    public synchronized void stop() {
        end(false);
    }

    /** SIGKILL: the crash a power cut or an OOM killer gives. */
    public synchronized void kill() {
        end(true);
    }

    private void end(boolean crash) {
        if (process == null) {
            return;
        }
        try {
            if (crash) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } else {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!process.isAlive()) {
            Reaper.get().forget(process.pid());
        }
    }

    @Override
    public void close() {
        stop();
    }

    public static final class Builder {
        private final String name;
        private final Path jar;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m"));
        private int port;
        private String readinessPath = "/q/health/ready";
        private Path logFile;
        private PrintStream console;

        private Builder(String name, Path jar) {
            this.name = name;
            this.jar = jar;
            this.logFile = Path.of("target", "processes", name + ".log");
        }

        public Builder env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Builder env(Map<String, String> values) {
            environment.putAll(values);
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** JVM options in place of the default {@code -Xmx256m}. */
        public Builder jvmOptions(String... options) {
            jvmOptions.clear();
            jvmOptions.addAll(List.of(options));
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder readinessPath(String path) {
            this.readinessPath = path;
            return this;
        }

        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        /** Also print every output line, prefixed with {@code [name]}, here (null: the log file only). */
        public Builder console(PrintStream console) {
            this.console = console;
            return this;
        }

        public ServiceProcess build() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar.toAbsolutePath() + " not found: build with ./mvnw package -DskipTests");
            }
            return new ServiceProcess(this);
        }
    }
}
