package io.gonkanode.registry.mlnode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MlNodeEndpointsTest {

    @Test
    void endpointsUseOnlyTheNodesHostAndPortsWithAnOptionalVersion() {
        assertEquals(new MlNodeEndpoints("http://10.0.0.21:8080", "http://10.0.0.21:5050"),
                MlNodeEndpoints.of("10.0.0.21", 8080, "", 5050, "", ""));
        assertEquals(new MlNodeEndpoints("http://[fd00::1]:8080/v3.0.8/api", "http://[fd00::1]:5050/v3.0.8"),
                MlNodeEndpoints.of("fd00::1", 8080, "/api", 5050, "", "v3.0.8"));
    }
}
