package io.gonkanode.common.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What a failure says about the database: away (the caller may retry: 503) or refusing a value (the
 * request's fault: 400). Both look through causes and suppressed exceptions, since a commit cut off by the
 * database going away surfaces as a RollbackException whose driver error is only a suppressed one.
 */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /** Connection refused, pool exhausted or a connection lost mid-transaction: all mean "try again". */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t : related(e)) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && unavailable(sql.getSQLState())) {
                return true;
            }
            if (isPoolTimeout(t)) {
                return true;
            }
        }
        return false;
    }

    /** The SQLSTATE of a data exception (class 22: NUL in text, a number out of range) among the causes, or null. */
    public static String dataException(Throwable e) {
        for (Throwable t : related(e)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return "SQLSTATE " + sql.getSQLState();
            }
        }
        return null;
    }

    /** An exception, its causes and what they suppressed, each once (at most 64). */
    public static List<Throwable> related(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        if (e != null) {
            todo.add(e);
        }
        while (!todo.isEmpty() && out.size() < 64) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            out.add(t);
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(Arrays.asList(t.getSuppressed()));
        }
        return out;
    }

    /**
     * 08: connection exceptions; 57P01-57P03: the server is shutting down, crashed or still starting
     * (a session cut by a restart fails with 57P01); 53300: too many connections.
     */
    static boolean unavailable(String sqlState) {
        return sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("53300");
    }

    /**
     * Agroal's "Acquisition timeout while waiting for new connection" is a plain SQLException without a
     * SQLSTATE; its class and text are the only way to tell it.
     */
    private static boolean isPoolTimeout(Throwable t) {
        return t instanceof SQLException && t.getStackTrace().length > 0
                && t.getStackTrace()[0].getClassName().startsWith("io.agroal")
                && String.valueOf(t.getMessage()).contains("cquisition timeout");
    }
}
