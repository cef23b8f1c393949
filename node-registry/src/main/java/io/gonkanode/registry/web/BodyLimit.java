package io.gonkanode.registry.web;

import io.gonkanode.common.rest.ErrorBody;
import io.gonkanode.common.rest.ApiException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Bodies over 1 MiB are refused with a JSON 413 before they are read when the client announces their
 * length, and after reading otherwise (chunked uploads); the transport's own cap sits far above.
 */
public class BodyLimit {

    public static final int MAX_BODY_BYTES = 1 << 20;

    @ServerRequestFilter(preMatching = true, priority = 5)
    public Optional<Response> check(ContainerRequestContext request) {
        if (request.getLength() > MAX_BODY_BYTES) {
            return Optional.of(Response.status(413).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ErrorBody.of(message())).header("Connection", "close").build());
        }
        return Optional.empty();
    }

    static ApiException tooLarge() {
        return new ApiException(413, message());
    }

    private static String message() {
        return "request body too large: at most " + MAX_BODY_BYTES + " bytes (1 MiB)";
    }
}
