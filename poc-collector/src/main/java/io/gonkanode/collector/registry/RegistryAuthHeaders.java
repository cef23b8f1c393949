package io.gonkanode.collector.registry;

import io.gonkanode.collector.config.CollectorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/** Adds the registry's admin token, when one is configured. */
@ApplicationScoped
public class RegistryAuthHeaders implements ClientHeadersFactory {

    private final CollectorConfig config;

    public RegistryAuthHeaders(CollectorConfig config) {
        this.config = config;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming, MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        config.registry().adminToken().filter(t -> !t.isBlank()).ifPresent(t -> headers.add("Authorization", "Bearer " + t));
        return headers;
    }
}
