package io.gonkanode.common.rest;

import io.gonkanode.common.RequestIds;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.slf4j.MDC;

/** Takes {@code X-Request-Id} from the caller (or makes one), logs it on every line and returns it. */
public class RequestIdFilter {

    @ServerRequestFilter(preMatching = true, priority = 1)
    public void assign(ContainerRequestContext request) {
        String id = RequestIds.accept(request.getHeaderString(RequestIds.HEADER));
        request.setProperty(RequestIds.MDC_KEY, id);
        MDC.put(RequestIds.MDC_KEY, id);
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(RequestIds.MDC_KEY);
        if (id != null) {
            response.getHeaders().putSingle(RequestIds.HEADER, id.toString());
        }
    }
}
