package io.gonkanode.testing;

import io.gonkanode.local.Database;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} (and a {@code @QuarkusIntegrationTest}) its own real PostgreSQL; see
 * {@link Database} for how to point it at an external server instead.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile Database current;

    private Database database;

    @Override
    public Map<String, String> start() {
        database = Database.forTests();
        current = database;
        return database.quarkusProperties();
    }

    /** The database of the running test application, for direct assertions. */
    public static Database current() {
        return current;
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
