package io.gonkanode.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Settings of node-registry; every key can be given as an environment variable (GONKA_...). */
@ConfigMapping(prefix = "gonka")
public interface RegistryConfig {

    /**
     * Models this network accepts, as JSON {@code {"<model id>": {"args": [...]}}}; the args are the
     * model's own vLLM arguments, placed before a node's and winning over them (env GONKA_SUPPORTED_MODELS).
     */
    @WithDefault("{\"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8\":{\"args\":[\"--tensor-parallel-size\",\"4\"]}}")
    String supportedModels();

    /** When set, every /admin and /internal call needs {@code Authorization: Bearer <token>} (env GONKA_ADMIN_TOKEN). */
    Optional<String> adminToken();

    /** An upstream node-config.json applied at startup whenever its content changed (env NODE_CONFIG_PATH). */
    Optional<String> nodeConfigPath();

    /** poc-collector, whose epoch clock and weights the dashboard shows (env POC_COLLECTOR_URL). */
    @WithDefault("http://localhost:9100")
    String collectorUrl();
}
