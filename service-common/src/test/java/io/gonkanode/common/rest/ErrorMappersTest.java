package io.gonkanode.common.rest;

import io.gonkanode.common.db.DatabaseErrors;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorMappersTest {

    static RuntimeException wrapped(String sqlState) {
        return new RuntimeException("JDBC exception executing SQL", new SQLException("from the driver", sqlState));
    }

    @Test
    void aDatabaseGoingAwayIsA503WhateverTheMomentItIsCaught() {
        assertTrue(DatabaseErrors.isUnavailable(wrapped("08006")), "connection failure");
        assertTrue(DatabaseErrors.isUnavailable(wrapped("08003")), "connection already closed");
        assertTrue(DatabaseErrors.isUnavailable(wrapped("57P01")), "terminating connection due to administrator command");
        assertTrue(DatabaseErrors.isUnavailable(wrapped("57P03")), "the database system is starting up");
        assertTrue(DatabaseErrors.isUnavailable(wrapped("53300")), "too many connections");
        assertFalse(DatabaseErrors.isUnavailable(wrapped("23505")), "a unique violation is not an outage");
        assertEquals(503, new ErrorMappers().unexpected(wrapped("57P01")).getStatus());
    }

    @Test
    void aCommitCutOffByTheDatabaseGoingDownIsA503() {
        // what Narayana throws when PostgreSQL stops during the commit: the driver's error only suppressed
        Exception xa = new Exception("Error trying to transactionCommit local transaction",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        RuntimeException rollback = new RuntimeException("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(xa);
        RuntimeException thrown = new RuntimeException("Error invoking subclass method", rollback);
        assertTrue(DatabaseErrors.isUnavailable(thrown));
        assertEquals(503, new ErrorMappers().unexpected(thrown).getStatus());
    }

    @Test
    void aValueThePostgresRefusesIsA400() {
        assertEquals(400, new ErrorMappers().unexpected(wrapped("22021")).getStatus());
        assertEquals("SQLSTATE 22P05", DatabaseErrors.dataException(wrapped("22P05")));
    }

    @Test
    void anExhaustedConnectionPoolIsA503ButTheSameWordsElsewhereAreNot() {
        SQLException poolTimeout = new SQLException("Acquisition timeout while waiting for new connection");
        poolTimeout.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.agroal.pool.ConnectionPool", "getConnection", "ConnectionPool.java", 1)});
        assertTrue(DatabaseErrors.isUnavailable(new RuntimeException(poolTimeout)));
        assertFalse(DatabaseErrors.isUnavailable(new IllegalStateException("Acquisition timeout while waiting for new connection")),
                "only the pool's own exception counts, not a message that happens to say the same");
    }

    @Test
    void aFailureThatIsNotTheDatabasesIsA500ThatNamesTheRequestIdButNoStackTrace() {
        var response = new ErrorMappers().unexpected(new IllegalStateException("secret internals"));
        assertEquals(500, response.getStatus());
        assertFalse(String.valueOf(((ErrorBody) response.getEntity()).error()).contains("secret"));
    }
}
