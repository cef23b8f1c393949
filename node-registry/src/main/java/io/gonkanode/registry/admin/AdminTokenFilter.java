package io.gonkanode.registry.admin;

import io.gonkanode.registry.config.RegistryConfig;
import io.gonkanode.common.rest.ErrorBody;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * With {@code GONKA_ADMIN_TOKEN} set, {@code /admin} and {@code /internal} need
 * {@code Authorization: Bearer <token>}; without it they are open, as upstream (which relies on the
 * port being bound to localhost).
 */
public class AdminTokenFilter {

    private final Optional<byte[]> token;

    public AdminTokenFilter(RegistryConfig config) {
        this.token = config.adminToken().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @ServerRequestFilter(preMatching = true, priority = 10)
    public Optional<Response> check(ContainerRequestContext request) {
        if (token.isEmpty() || !isProtected(request.getUriInfo().getPath())) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(given, token.get())) {
                return Optional.empty();
            }
        }
        return Optional.of(Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"gonka-admin\"")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of(header == null
                        ? "missing admin token: send Authorization: Bearer <GONKA_ADMIN_TOKEN>"
                        : "invalid admin token"))
                .build());
    }

    static boolean isProtected(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return p.equals("/admin") || p.startsWith("/admin/") || p.equals("/internal") || p.startsWith("/internal/");
    }
}
