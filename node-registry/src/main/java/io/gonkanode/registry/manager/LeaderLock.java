package io.gonkanode.registry.manager;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Leadership among registry replicas: a session-level PostgreSQL advisory lock held on one dedicated
 * connection. Only the holder drives ML nodes; if its connection dies the lock goes with it and another
 * replica takes over at its next tick.
 */
@ApplicationScoped
public class LeaderLock {

    /** Key of the node manager's advisory lock. */
    static final long KEY = 0x676f6e6b615f6d67L;

    private final AgroalDataSource dataSource;
    private Connection connection;
    private boolean leader;

    public LeaderLock(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Whether this replica holds the lock, trying to take it if not; false when the database is away. */
    public synchronized boolean holds() {
        try {
            if (connection != null && !connection.isValid(2)) {
                lose("its database connection is gone");
            }
            if (connection == null) {
                connection = dataSource.getConnection();
                connection.setAutoCommit(true);
            }
            if (!leader) {
                try (Statement s = connection.createStatement();
                     ResultSet rs = s.executeQuery("select pg_try_advisory_lock(" + KEY + ")")) {
                    leader = rs.next() && rs.getBoolean(1);
                }
                if (leader) {
                    Log.info("this registry now leads the node manager");
                }
            }
            return leader;
        } catch (SQLException e) {
            lose(e.getMessage());
            return false;
        }
    }

    public synchronized boolean isLeader() {
        return leader;
    }

    private void lose(String why) {
        if (leader) {
            Log.warnf("node manager leadership lost: %s", why);
        }
        leader = false;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    synchronized void release() {
        if (connection != null && leader) {
            try (Statement s = connection.createStatement()) {
                s.execute("select pg_advisory_unlock(" + KEY + ")");
            } catch (SQLException ignored) {
                // the session ends anyway
            }
        }
        lose("shutting down");
    }

    void onStop(@Observes ShutdownEvent event) {
        release();
    }
}
