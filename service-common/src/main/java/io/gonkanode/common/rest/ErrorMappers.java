package io.gonkanode.common.rest;

import io.gonkanode.common.RequestIds;
import io.gonkanode.common.db.DatabaseErrors;
import io.quarkus.logging.Log;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.slf4j.MDC;

/**
 * Turns every failure into gonka's {@code {"error": ...}}: client mistakes keep their 4xx, an unreachable
 * database is a 503 the caller may retry, a value the database refuses is a 400 (the transaction rolled
 * back, so the request changed nothing), and anything else is a 500 without a stack trace.
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
            return unexpected(e);
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return json(status, reason == null ? "request rejected" : reason.toLowerCase());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (DatabaseErrors.isUnavailable(e)) {
            Log.warnf("database unavailable: %s", e.getMessage());
            return databaseUnavailable();
        }
        String dataError = DatabaseErrors.dataException(e);
        if (dataError != null) {
            Log.warnf("a request value was refused by the database: %s", dataError);
            return json(400, "invalid request: a value cannot be stored (" + dataError + ")");
        }
        Log.error("request failed", e);
        return json(500, "internal error (request id " + MDC.get(RequestIds.MDC_KEY) + ")");
    }

    /** The 503 every service answers while its database is away. */
    public static Response databaseUnavailable() {
        return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", "5")
                .entity(ErrorBody.of("database unavailable, try again shortly")).build();
    }

    public static Response json(int status, Object error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(error)).build();
    }
}
