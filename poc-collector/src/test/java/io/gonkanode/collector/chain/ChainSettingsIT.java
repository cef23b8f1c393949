package io.gonkanode.collector.chain;

import io.gonkanode.local.Database;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.testing.StubRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A missing chain node URL, or one that is not one, stops the collector with one clear line; one that does not answer leaves it
 * running, not ready, saying which node it cannot reach — neither with a stack trace.
 */
class ChainSettingsIT {

    final HttpClient http = HttpClient.newHttpClient();

    ServiceProcess.Builder collector(String name, Database db, StubRegistry registry, String chainUrl) {
        return ServiceProcess.builder(name, Path.of("target", "quarkus-app", "quarkus-run.jar"))
                .port(ServiceProcess.freePort()).env(db.environment()).env("NODE_REGISTRY_URL", registry.url())
                .env("ACCOUNT_PUBKEY", ChainFollowIT.KEY).env("DAPI_CHAIN_NODE__URL", chainUrl);
    }

    /** Its log file without earlier runs' lines. */
    static ServiceProcess fresh(ServiceProcess p) throws java.io.IOException {
        Files.deleteIfExists(p.logFile());
        return p;
    }

    @Test
    void badChainUrlsAreExplainedWithoutStackTraces() throws Exception {
        try (Database db = Database.forTests(); StubRegistry registry = new StubRegistry()) {
            ServiceProcess missing = fresh(collector("collector-no-url", db, registry, "").build()).start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !missing.isAlive());
            String none = Files.readString(missing.logFile());
            assertTrue(none.contains("ERROR DAPI_CHAIN_NODE__URL is not set: poc-collector follows a Gonka chain node"), none);
            assertFalse(none.contains("\tat "), "no stack trace: " + none);

            ServiceProcess invalid = fresh(collector("collector-bad-url", db, registry, "http://exa mple:26657").build()).start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !invalid.isAlive());
            String log = Files.readString(invalid.logFile());
            assertTrue(log.contains("DAPI_CHAIN_NODE__URL is not a URL: http://exa mple:26657"), log);
            assertFalse(log.contains("\tat "), "no stack trace: " + log);

            int closed = ServiceProcess.freePort();
            try (ServiceProcess unreachable = fresh(collector("collector-no-chain", db, registry, "http://127.0.0.1:" + closed)
                    .readinessPath("/q/health/live").build()).start(Duration.ofSeconds(60))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(unreachable.url() + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 503 && r.body().contains("chain node http://127.0.0.1:" + closed + "/ unreachable");
                });
                String running = Files.readString(unreachable.logFile());
                assertTrue(running.contains("chain node http://127.0.0.1:" + closed + "/ unreachable"), running);
                assertFalse(running.contains("\tat "), "no stack trace: " + running);
            }
        }
    }

    @Test
    void aKeyringThatDoesNotOpenStopsTheStartWithOneLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path keyring = io.gonkanode.collector.ChainHost.copyKeyring(dir.resolve(".inference"));
        try (Database db = Database.forTests(); StubRegistry registry = new StubRegistry()) {
            ServiceProcess wrong = fresh(collector("collector-bad-keyring", db, registry, "http://127.0.0.1:26657")
                    .env("KEY_NAME", "gonka-warm").env("KEYRING_PASSWORD", "not the password")
                    .env("GONKA_KEYRING_DIR", keyring.toString()).build()).start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !wrong.isAlive());
            String log = Files.readString(wrong.logFile());
            assertTrue(log.contains("ERROR KEYRING_PASSWORD does not open " + keyring.resolve("keyring-file/gonka-warm.info")
                    + "; not starting"), log);
            assertFalse(log.contains("not the password") || log.contains("\tat "), log);
        }
    }

    @Test
    void theDatabasePasswordCanComeFromAFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // compose's generated password: the packaged service reads QUARKUS_DATASOURCE_PASSWORD_FILE when no password is set
        Path missing = dir.resolve("no-such-password");
        try (Database db = Database.forTests(); StubRegistry registry = new StubRegistry()) {
            Map<String, String> env = new java.util.HashMap<>(db.environment());
            env.remove("QUARKUS_DATASOURCE_PASSWORD");
            ServiceProcess p = fresh(ServiceProcess.builder("collector-password-file", Path.of("target", "quarkus-app", "quarkus-run.jar"))
                    .port(ServiceProcess.freePort()).env(env).env("NODE_REGISTRY_URL", registry.url())
                    .env("DAPI_CHAIN_NODE__URL", "http://127.0.0.1:26657")
                    .env("QUARKUS_DATASOURCE_PASSWORD_FILE", missing.toString()).build()).start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !p.isAlive());
            String log = Files.readString(p.logFile());
            assertTrue(log.contains("QUARKUS_DATASOURCE_PASSWORD_FILE " + missing + " cannot be read"), log);
        }
    }
}
