package io.gonkanode.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} (and a {@code @QuarkusIntegrationTest}) its own real PostgreSQL; see
 * {@link TestDatabase} for how to point it at an external server instead.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile TestDatabase current;

    private TestDatabase database;

    @Override
    public Map<String, String> start() {
        database = TestDatabase.start();
        current = database;
        return database.quarkusProperties();
    }

    /** The database of the running test application, for direct assertions. */
    public static TestDatabase current() {
        return current;
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
