package io.gonkanode.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A real PostgreSQL, for {@code deploy/local/up} and the tests alike: an embedded server (the zonky
 * binaries, fsync and synchronous commit on, so durability tests test something), either on a data folder
 * that outlives it (a restart keeps every node and weight) or on a throw-away one; or an external server
 * given by URL, on which tests get a fresh database of their own.
 *
 * <p>An embedded server is listed with the {@link Reaper}, so it does not outlive a launcher killed by
 * SIGKILL; and a start that finds a server still running on its data folder (left by one that was) stops
 * that server first.
 */
public final class Database implements AutoCloseable {

    /** JDBC URL of an external PostgreSQL server for the tests to use instead of the embedded one. */
    public static final String URL_ENV = "GONKA_TEST_JDBC_URL";
    /** User for {@value #URL_ENV}; default {@code postgres}. */
    public static final String USER_ENV = "GONKA_TEST_JDBC_USERNAME";
    /** Password for {@value #URL_ENV}; default {@code postgres}. */
    public static final String PASSWORD_ENV = "GONKA_TEST_JDBC_PASSWORD";

    private final Path dataDir;
    private final int port;
    private final String url;
    private final String user;
    private final String password;
    /** The external server's URL when this database was created on it for a test (dropped on close). */
    private final String adminUrl;
    private final String createdDatabase;
    /** A test's throw-away data folder, deleted on close. */
    private final boolean throwaway;
    private volatile EmbeddedPostgres embedded;

    private Database(EmbeddedPostgres embedded, Path dataDir, int port, String url, String user, String password,
                     String adminUrl, String createdDatabase, boolean throwaway) {
        this.embedded = embedded;
        this.throwaway = throwaway;
        this.dataDir = dataDir;
        this.port = port;
        this.url = url;
        this.user = user;
        this.password = password;
        this.adminUrl = adminUrl;
        this.createdDatabase = createdDatabase;
    }

    /** Starts (or restarts, keeping its data) an embedded PostgreSQL in {@code dataDir} on {@code port} (0: any). */
    public static Database embedded(Path dataDir, int port) {
        return embedded(dataDir, port, "postgres");
    }

    /**
     * The same; {@code password} is what the services are configured with (the embedded server trusts
     * local connections, so it only matters to tests that look for it where it must not appear).
     */
    public static Database embedded(Path dataDir, int port, String password) {
        return onEmbedded(launch(dataDir, port), dataDir, password, false);
    }

    public static Database external(String url, String user, String password) {
        return new Database(null, null, 0, url, user, password, null, null, false);
    }

    /**
     * A database for one test run: a fresh database on the server named by {@value #URL_ENV} when it is set
     * (the user needs CREATEDB; dropped on close), else an embedded server on a throw-away folder.
     */
    public static Database forTests() {
        String external = System.getenv(URL_ENV);
        if (external != null && !external.isBlank()) {
            String adminUrl = external.trim();
            String user = envOr(USER_ENV, "postgres");
            String password = envOr(PASSWORD_ENV, "postgres");
            String name = "gonka_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            execute(adminUrl, user, password, "CREATE DATABASE " + name);
            return new Database(null, null, 0, withDatabase(adminUrl, name), user, password, adminUrl, name, false);
        }
        try {
            Path folder = Files.createTempDirectory("gonka-pg-");
            return onEmbedded(launch(folder, 0), folder, "postgres", true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Database onEmbedded(EmbeddedPostgres pg, Path dataDir, String password, boolean throwaway) {
        return new Database(pg, dataDir, pg.getPort(), "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres",
                "postgres", password, null, null, throwaway);
    }

    private static EmbeddedPostgres launch(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            stopStaleServer(dataDir);
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // stopping is ours: the stack stops its services before the database, the Reaper after a crash
                    .setRegisterShutdownHook(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port > 0) {
                b.setPort(port);
            }
            EmbeddedPostgres pg = b.start();
            Reaper.get().watchPostgres(dataDir);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A PostgreSQL still running on {@code dataDir} (its postmaster.pid names a live postgres process) is one
     * a killed launcher left behind: stop it (SIGINT, a fast shutdown) and wait for it to go.
     */
    static void stopStaleServer(Path dataDir) {
        Optional<ProcessHandle> stale = postmaster(dataDir);
        if (stale.isEmpty()) {
            return;
        }
        System.err.println("stopping a PostgreSQL left running on " + dataDir + " (pid " + stale.get().pid() + ")");
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(stale.get().pid())).inheritIO().start().waitFor();
            stale.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("a PostgreSQL (pid " + stale.get().pid() + ") still runs on " + dataDir
                    + " and did not stop: " + e.getMessage(), e);
        }
    }

    private static Optional<ProcessHandle> postmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.isRegularFile(pidFile) ? Files.readAllLines(pidFile) : List.of();
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String withDatabase(String jdbcUrl, String database) {
        String prefix = "jdbc:";
        URI uri = URI.create(jdbcUrl.substring(prefix.length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return prefix + uri.getScheme() + "://" + uri.getRawAuthority() + "/" + database + query;
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + url + ": " + e.getMessage(), e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public String url() {
        return url;
    }

    public String jdbcUrl() {
        return url;
    }

    public String username() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Port of the embedded server; -1 for an external one. */
    public int port() {
        return dataDir == null ? -1 : port;
    }

    public boolean isEmbedded() {
        return dataDir != null;
    }

    /** A connection as the services' user, for assertions on what a service stored. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** The Quarkus datasource settings pointing here, as environment variables for a service process. */
    public Map<String, String> environment() {
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", url, "QUARKUS_DATASOURCE_USERNAME", user, "QUARKUS_DATASOURCE_PASSWORD", password);
    }

    /** The same as Quarkus properties, for a service under test in this JVM. */
    public Map<String, String> quarkusProperties() {
        return Map.of("quarkus.datasource.jdbc.url", url, "quarkus.datasource.username", user, "quarkus.datasource.password", password);
    }

    /** Stops the embedded server (a fast shutdown: sessions are cut, as when a database host goes away). */
    public synchronized void stop() {
        if (embedded == null) {
            throw new IllegalStateException(dataDir == null ? "an external database cannot be stopped from here" : "already stopped");
        }
        shutDown();
    }

    /** Starts the embedded server again on the same folder and port. */
    public synchronized void start() {
        if (dataDir == null) {
            throw new IllegalStateException("an external database cannot be started from here");
        }
        if (embedded == null) {
            embedded = launch(dataDir, port);
        }
    }

    @Override
    public synchronized void close() {
        if (embedded != null) {
            shutDown();
            if (throwaway) {
                deleteFolder(dataDir);
            }
        } else if (createdDatabase != null) {
            execute(adminUrl, user, password, "DROP DATABASE IF EXISTS " + createdDatabase.toLowerCase(Locale.ROOT) + " WITH (FORCE)");
        }
    }

    private void shutDown() {
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        embedded = null;
        Reaper.get().forgetPostgres(dataDir);
    }

    private static void deleteFolder(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder: the system cleans it up eventually
        }
    }
}
