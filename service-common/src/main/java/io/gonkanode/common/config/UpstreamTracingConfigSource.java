package io.gonkanode.common.config;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Tracing switched with upstream's config.env names: {@code DAPI_OTEL_ENABLED=true|false} turns the OpenTelemetry SDK
 * on or off ({@code quarkus.otel.sdk.disabled}, true in application.properties) and {@code OTEL_ENDPOINT} is where
 * the spans go ({@code quarkus.otel.exporter.otlp.endpoint}). Quarkus' own {@code QUARKUS_OTEL_*} variables win
 * (environment variables rank 300, this source 290). Any other value of DAPI_OTEL_ENABLED leaves the default.
 */
public class UpstreamTracingConfigSource implements ConfigSource {

    static final String ENABLED = "DAPI_OTEL_ENABLED";
    static final String ENDPOINT = "OTEL_ENDPOINT";
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String OTLP_ENDPOINT = "quarkus.otel.exporter.otlp.endpoint";

    private final Function<String, String> env;

    public UpstreamTracingConfigSource() {
        this(System::getenv);
    }

    UpstreamTracingConfigSource(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> out = new HashMap<>();
        String enabled = env.apply(ENABLED);
        if (enabled != null) {
            switch (enabled.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> out.put(SDK_DISABLED, "false");
                case "false" -> out.put(SDK_DISABLED, "true");
                default -> { }
            }
        }
        String endpoint = env.apply(ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            out.put(OTLP_ENDPOINT, endpoint.strip());
        }
        return out;
    }

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return SDK_DISABLED.equals(propertyName) || OTLP_ENDPOINT.equals(propertyName) ? getProperties().get(propertyName) : null;
    }

    @Override
    public int getOrdinal() {
        return 290;
    }

    @Override
    public String getName() {
        return "UpstreamTracingConfigSource[" + ENABLED + ", " + ENDPOINT + "]";
    }
}
