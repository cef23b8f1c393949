package io.gonkanode.common.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class UpstreamTracingConfigSourceTest {

    @Test
    void dapiOtelEnabledSwitchesTheSdkAndOtelEndpointPointsIt() {
        UpstreamTracingConfigSource on = new UpstreamTracingConfigSource(Map.of("DAPI_OTEL_ENABLED", "true",
                "OTEL_ENDPOINT", "http://jaeger:4317")::get);
        assertEquals("false", on.getValue("quarkus.otel.sdk.disabled"));
        assertEquals("http://jaeger:4317", on.getValue("quarkus.otel.exporter.otlp.endpoint"));
        assertEquals("true", new UpstreamTracingConfigSource(Map.of("DAPI_OTEL_ENABLED", "False")::get).getValue("quarkus.otel.sdk.disabled"));
    }

    @Test
    void unsetOrUnclearLeavesTheServicesDefault() {
        UpstreamTracingConfigSource none = new UpstreamTracingConfigSource(Map.<String, String>of()::get);
        assertNull(none.getValue("quarkus.otel.sdk.disabled"));
        assertNull(none.getValue("quarkus.otel.exporter.otlp.endpoint"));
        assertEquals(Map.of(), none.getProperties());
        assertNull(new UpstreamTracingConfigSource(Map.of("DAPI_OTEL_ENABLED", "yes")::get).getValue("quarkus.otel.sdk.disabled"));
    }

    @Test
    void quarkusOwnVariablesRankAboveIt() {
        assertEquals(290, new UpstreamTracingConfigSource(Map.<String, String>of()::get).getOrdinal());
    }
}
