package io.gonkanode.collector.security;

import io.gonkanode.common.rest.ErrorMappers;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts every ML node callback through the {@link CallbackGuard}. The callback token travels either in the
 * callback URL the ML nodes are given ({@code <callback>/t/<token>/v2/poc-batches/...}; real ML nodes
 * only ever post to the URL they were handed) or as {@code Authorization: Bearer <token>}.
 */
public class CallbackFilter {

    static final String TOKEN_PROPERTY = "gonka.callback-token";
    private static final Pattern TOKEN_PREFIX = Pattern.compile("^/t/([^/]*)(/.*)$");
    private static final Pattern CALLBACK = Pattern.compile("^/(v2/poc-batches/|v1/poc-batches/|mlnode/v1/poc-batches/).*");

    private final CallbackGuard guard;

    public CallbackFilter(CallbackGuard guard) {
        this.guard = guard;
    }

    /** Takes the token out of a {@code /t/<token>/...} path before routing. */
    @ServerRequestFilter(preMatching = true, priority = 10)
    public void stripToken(ContainerRequestContext ctx) {
        URI uri = ctx.getUriInfo().getRequestUri();
        String raw = uri.getRawPath();
        if (raw == null || !raw.startsWith("/t/")) {
            return;
        }
        Matcher m = TOKEN_PREFIX.matcher(raw);
        if (!m.matches()) {
            return;
        }
        ctx.setProperty(TOKEN_PROPERTY, m.group(1));
        String base = ctx.getUriInfo().getBaseUri().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        ctx.setRequestUri(URI.create(base + m.group(2) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
    }

    @ServerRequestFilter(priority = 20)
    public Response admit(ContainerRequestContext ctx, HttpServerRequest request) {
        String path = ctx.getUriInfo().getRequestUri().getRawPath();
        Object inPath = ctx.getProperty(TOKEN_PROPERTY);
        if (path == null || !CALLBACK.matcher(path).matches()) {
            return inPath == null ? null : json(404, "no such route");
        }
        String presented = inPath != null ? inPath.toString() : bearer(ctx.getHeaderString(HttpHeaders.AUTHORIZATION));
        String source = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return switch (guard.admit(presented, source)) {
            case ADMITTED -> null;
            case BAD_TOKEN -> json(401, "callback token rejected");
            case SOURCE_REFUSED -> json(403, "callbacks are accepted from registered ML node hosts only (source " + source + ")");
        };
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    private static Response json(int status, String error) {
        return ErrorMappers.json(status, error);
    }
}
