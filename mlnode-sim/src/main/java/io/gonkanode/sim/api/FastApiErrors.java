package io.gonkanode.sim.api;

import io.gonkanode.sim.fastapi.HttpError;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors in FastAPI's shape, {@code {"detail": ...}}, with Starlette's texts for 404 and 405. */
public class FastApiErrors {

    @ServerExceptionMapper
    public Response http(HttpError e) {
        return detail(e.status(), e.detail());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return detail(404, "Not Found");
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return detail(405, "Method Not Allowed");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return detail(e.getResponse().getStatus(), e.getResponse().getStatusInfo().getReasonPhrase());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        Log.error("request failed", e);
        return detail(500, "Internal Server Error");
    }

    static Response detail(int status, Object detail) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("detail", detail instanceof com.fasterxml.jackson.databind.JsonNode j ? j
                : JsonNodeFactory.instance.textNode(String.valueOf(detail)));
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
