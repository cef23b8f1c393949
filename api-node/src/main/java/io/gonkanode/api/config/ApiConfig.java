package io.gonkanode.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of api-node; each key is also an environment variable (GONKA_ROUTING_QUEUE_TIMEOUT, ...). */
@ConfigMapping(prefix = "gonka")
public interface ApiConfig {

    Registry registry();

    Collector collector();

    Routing routing();

    /** API keys accepted on the completion routes as {@code Authorization: Bearer <key>}; none: open (GONKA_API_KEYS). */
    Optional<List<String>> apiKeys();

    interface Registry {
        /** node-registry (NODE_REGISTRY_URL). */
        @WithDefault("http://localhost:9200")
        String url();

        /** The registry's admin token, if it requires one (GONKA_ADMIN_TOKEN). */
        Optional<String> adminToken();

        /** How often the node view is refreshed (ETag: an unchanged view costs a 304). */
        @WithDefault("1s")
        Duration refreshInterval();
    }

    interface Collector {
        /** poc-collector, for the epoch routes (POC_COLLECTOR_URL). */
        @WithDefault("http://localhost:9100")
        String url();
    }

    interface Routing {
        /** Other nodes tried after a connect failure or a 5xx before any byte reached the client. */
        @WithDefault("2")
        int maxRetries();

        /** How long a request waits for a free slot when every eligible node is full, before 429. */
        @WithDefault("2s")
        Duration queueTimeout();

        /** Retry-After sent with a 429, in seconds. */
        @WithDefault("1")
        int retryAfterSeconds();

        /** Connect timeout to an ML node. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Longest silence from an ML node (no headers, no bytes) before the request fails (upstream allows 1200 s). */
        @WithDefault("20m")
        Duration idleTimeout();

        /** How long a node that failed a request stays out of rotation (then the registry's word decides). */
        @WithDefault("10s")
        Duration suspension();

        /** Largest request body accepted (upstream's proxy: 10 MB). */
        @WithDefault("10485760")
        long maxBodyBytes();

        /** Connections kept per ML node and event loop. */
        @WithDefault("1024")
        int poolSizePerNode();
    }
}
