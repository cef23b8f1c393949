package io.gonkanode.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
 * One service of the stack as a child JVM: its output goes line by line to the console with a
 * {@code [name]} prefix, or to a log file; it is ready when its readiness URL answers 200; stopping sends
 * SIGTERM and waits (SIGKILL after 30 s).
 */
public final class Proc {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Map<String, String> env;
    private final int port;
    private final String readyPath;
    private final PrintStream console;
    private final Path logFile;
    private Process process;

    public Proc(String name, Path jar, int port, String readyPath, Map<String, String> env, PrintStream console, Path logFile) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.readyPath = readyPath;
        this.env = new LinkedHashMap<>(env);
        this.env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        this.console = console;
        this.logFile = logFile;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The operating-system process id, or -1 when not running. */
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    public synchronized Proc start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        Process p = process;
        Thread pump = new Thread(() -> pump(p), "log-" + name);
        pump.setDaemon(true);
        pump.start();
        return this;
    }

    private void pump(Process p) {
        String prefix = "[" + name + "] ";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (logFile != null) {
                    Files.createDirectories(logFile.getParent());
                    Files.writeString(logFile, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                if (console != null) {
                    console.println(prefix + line);
                }
            }
        } catch (IOException e) {
            // the process went away
        }
    }

    /** Waits until the readiness path answers 200; fails if the process exits first. */
    public Proc awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = URI.create(url() + readyPath);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + (logFile != null ? "; see " + logFile : ""));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready within " + timeout);
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM and wait; SIGKILL after 30 s. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL: a crash. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
