package io.gonkanode.sim.web;

import io.gonkanode.sim.config.SimConfig;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * The ML node as the network node reaches it in the guide: behind an nginx that maps {@code /<version>/...} to
 * {@code /...} for the versions it knows (SIM_API_VERSIONS) and passes everything else unchanged. Mounted first on the
 * management port and on the inference port.
 */
@ApplicationScoped
public class VersionPrefix {

    void mount(@Observes Router router, SimConfig config) {
        mount(router, config.apiVersions());
    }

    /** Adds the rewrite to {@code router}, ahead of every other route. */
    public static void mount(Router router, List<String> versions) {
        router.route().order(-1000).handler(ctx -> {
            String path = ctx.request().path();
            for (String v : versions) {
                String prefix = "/" + v.strip() + "/";
                if (!v.isBlank() && path.startsWith(prefix)) {
                    String query = ctx.request().query();
                    ctx.reroute(path.substring(prefix.length() - 1) + (query == null ? "" : "?" + query));
                    return;
                }
            }
            ctx.next();
        });
    }
}
