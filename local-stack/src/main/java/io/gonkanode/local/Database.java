package io.gonkanode.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * The stack's PostgreSQL: an embedded server (the zonky binaries) whose data lives in a folder, so a
 * restart keeps every node and weight, or an external server given by URL.
 */
public final class Database implements AutoCloseable {

    private final Path dataDir;
    private final String url;
    private final String user;
    private final String password;
    private volatile EmbeddedPostgres embedded;
    private final int port;

    private Database(EmbeddedPostgres embedded, Path dataDir, int port, String url, String user, String password) {
        this.embedded = embedded;
        this.dataDir = dataDir;
        this.port = port;
        this.url = url;
        this.user = user;
        this.password = password;
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
        EmbeddedPostgres pg = launch(dataDir, port);
        return new Database(pg, dataDir, pg.getPort(), "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", "postgres", password);
    }

    private static EmbeddedPostgres launch(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port > 0) {
                b.setPort(port);
            }
            return b.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public static Database external(String url, String user, String password) {
        return new Database(null, null, 0, url, user, password);
    }

    public String url() {
        return url;
    }

    public Map<String, String> environment() {
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", url, "QUARKUS_DATASOURCE_USERNAME", user, "QUARKUS_DATASOURCE_PASSWORD", password);
    }

    /** A connection as the services' user. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Stops the embedded server (a fast shutdown: sessions are cut, as when a database host goes away). */
    public synchronized void stop() {
        if (embedded == null) {
            throw new IllegalStateException(dataDir == null ? "an external database cannot be stopped from here" : "already stopped");
        }
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        embedded = null;
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
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            embedded = null;
        }
    }
}
