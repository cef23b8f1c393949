package io.gonkanode.common;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The Authorization header for calls to node-registry, which may require its admin token
 * ({@code gonka.registry.admin-token}, from {@code GONKA_ADMIN_TOKEN}). The REST client interfaces name it in
 * {@code @ClientHeaderParam(name = "Authorization", value = "{io.gonkanode.common.RegistryToken.bearer}",
 * required = false)}.
 */
public final class RegistryToken {

    private RegistryToken() {
    }

    /** {@code Bearer <token>}, or null (no header) when no token is set. */
    public static String bearer() {
        return ConfigProvider.getConfig().getOptionalValue("gonka.registry.admin-token", String.class)
                .map(String::trim).filter(t -> !t.isEmpty()).map(t -> "Bearer " + t).orElse(null);
    }
}
