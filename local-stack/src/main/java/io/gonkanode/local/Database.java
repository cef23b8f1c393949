package io.gonkanode.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The stack's PostgreSQL: an embedded server (the zonky binaries) whose data lives in a folder, so a
 * restart keeps every node and weight, or an external server given by URL.
 */
public final class Database implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final String url;
    private final String user;
    private final String password;

    private Database(EmbeddedPostgres embedded, String url, String user, String password) {
        this.embedded = embedded;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Starts (or restarts, keeping its data) an embedded PostgreSQL in {@code dataDir} on {@code port} (0: any). */
    public static Database embedded(Path dataDir, int port) {
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
            EmbeddedPostgres pg = b.start();
            return new Database(pg, "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public static Database external(String url, String user, String password) {
        return new Database(null, url, user, password);
    }

    public String url() {
        return url;
    }

    public Map<String, String> environment() {
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", url, "QUARKUS_DATASOURCE_USERNAME", user, "QUARKUS_DATASOURCE_PASSWORD", password);
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
