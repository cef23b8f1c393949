package io.gonkanode.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A real PostgreSQL for tests.
 *
 * <p>By default a PostgreSQL 17 from the zonky embedded binaries, started on a random free port of
 * 127.0.0.1 with fsync and synchronous commit on, so durability tests test something. When
 * {@value #URL_ENV} is set, a fresh database is created on that server instead (the user needs the
 * CREATEDB privilege) and dropped again on {@link #close()}.
 */
public final class TestDatabase implements AutoCloseable {

    /** JDBC URL of an external PostgreSQL server to use instead of the embedded one. */
    public static final String URL_ENV = "GONKA_TEST_JDBC_URL";
    /** User for {@value #URL_ENV}; default {@code postgres}. */
    public static final String USER_ENV = "GONKA_TEST_JDBC_USERNAME";
    /** Password for {@value #URL_ENV}; default {@code postgres}. */
    public static final String PASSWORD_ENV = "GONKA_TEST_JDBC_PASSWORD";

    private final EmbeddedPostgres embedded;
    private final String adminUrl;
    private final String database;
    private final String jdbcUrl;
    private final String username;
    private final String password;

    private TestDatabase(EmbeddedPostgres embedded, String adminUrl, String database, String jdbcUrl,
                         String username, String password) {
        this.embedded = embedded;
        this.adminUrl = adminUrl;
        this.database = database;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    /** Starts an embedded server, or creates a database on the external one named by {@value #URL_ENV}. */
    public static TestDatabase start() {
        String external = System.getenv(URL_ENV);
        if (external != null && !external.isBlank()) {
            return createOnExternalServer(external.trim(),
                    envOr(USER_ENV, "postgres"), envOr(PASSWORD_ENV, "postgres"));
        }
        return startEmbedded(null, 0);
    }

    /**
     * Starts an embedded server on a given data directory and port, keeping the data between starts,
     * so that a test can stop the database and bring the same one back.
     */
    public static TestDatabase startEmbedded(java.nio.file.Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
            return new TestDatabase(pg, null, null, url, "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    private static TestDatabase createOnExternalServer(String adminUrl, String user, String password) {
        String database = "gonka_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(adminUrl, user, password, "CREATE DATABASE " + database);
        return new TestDatabase(null, adminUrl, database, withDatabase(adminUrl, database), user, password);
    }

    static String withDatabase(String jdbcUrl, String database) {
        String prefix = "jdbc:";
        URI uri = URI.create(jdbcUrl.substring(prefix.length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String authority = uri.getRawAuthority();
        return prefix + uri.getScheme() + "://" + authority + "/" + database + query;
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

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** Port of the embedded server; -1 for an external one. */
    public int port() {
        return embedded == null ? -1 : embedded.getPort();
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Opens a plain JDBC connection, for assertions on what a service stored. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    /** The Quarkus datasource properties pointing at this database. */
    public Map<String, String> quarkusProperties() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", username,
                "quarkus.datasource.password", password);
    }

    /** The same as environment variables, for a service started as a process. */
    public Map<String, String> environment() {
        return Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME", username,
                "QUARKUS_DATASOURCE_PASSWORD", password);
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (database != null) {
            execute(adminUrl, username, password,
                    "DROP DATABASE IF EXISTS " + database.toLowerCase(Locale.ROOT) + " WITH (FORCE)");
        }
    }
}
