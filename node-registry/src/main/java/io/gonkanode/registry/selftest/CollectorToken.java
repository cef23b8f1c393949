package io.gonkanode.registry.selftest;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The Authorization header of node-registry's calls to poc-collector's internal routes: this host's admin token
 * ({@code GONKA_ADMIN_TOKEN}), which the collector checks when one is set; no header without one.
 */
public final class CollectorToken {

    private CollectorToken() {
    }

    public static String bearer() {
        return ConfigProvider.getConfig().getOptionalValue("gonka.admin-token", String.class)
                .map(String::trim).filter(t -> !t.isEmpty()).map(t -> "Bearer " + t).orElse(null);
    }
}
