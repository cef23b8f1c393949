package io.gonkanode.registry.web;

import io.quarkus.logging.Log;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.slf4j.MDC;

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
 * Turns every failure into {@code {"error": "..."}}: client mistakes keep their 4xx, an unreachable
 * database is a 503 the caller may retry, and anything else is a 500 without a stack trace.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), e.error());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(404, "no such route");
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return json(405, "method not allowed");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            Log.error("request failed", e);
            return json(status, "internal error (request id " + MDC.get(RequestIds.MDC_KEY) + ")");
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return json(status, reason == null ? "request rejected" : reason.toLowerCase());
    }

    @ServerExceptionMapper
    public Response persistence(PersistenceException e) {
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (isDatabaseUnavailable(e)) {
            Log.warnf("database unavailable: %s", e.getMessage());
            return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", "5")
                    .entity(ErrorBody.of("database unavailable, try again shortly")).build();
        }
        String dataError = dataException(e);
        if (dataError != null) {
            // a value validation let through that PostgreSQL refuses (NUL in text, a number out of range):
            // the transaction rolled back, so the request changed nothing
            Log.warnf("a request value was refused by the database: %s", dataError);
            return json(400, "invalid request: a value cannot be stored (" + dataError + ")");
        }
        Log.error("request failed", e);
        return json(500, "internal error (request id " + MDC.get(RequestIds.MDC_KEY) + ")");
    }

    /** The SQLSTATE of a data exception (class 22) in the cause chain, or null. */
    static String dataException(Throwable e) {
        for (Throwable t : related(e)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return "SQLSTATE " + sql.getSQLState();
            }
        }
        return null;
    }

    /** Connection refused, pool exhausted or a connection lost mid-transaction: all mean "try again". */
    static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable t : related(e)) {
            if (t instanceof JDBCConnectionException || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && unavailable(sql.getSQLState())) {
                return true;
            }
            if (t.getClass().getName().startsWith("io.agroal") && String.valueOf(t.getMessage()).contains("acquisition timeout")) {
                return true;
            }
        }
        return false;
    }

    /**
     * An exception, its causes and what they suppressed, each once: a commit that failed because the
     * connection went away surfaces as a RollbackException whose driver error is only a suppressed one.
     */
    static List<Throwable> related(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        if (e != null) {
            todo.add(e);
        }
        while (!todo.isEmpty() && out.size() < 64) {
            Throwable t = todo.poll();
            if (t == null || !seen.add(t)) {
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

    static Response json(int status, Object error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(error)).build();
    }
}
