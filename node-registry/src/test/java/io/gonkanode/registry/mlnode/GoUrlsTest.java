package io.gonkanode.registry.mlnode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GoUrlsTest {

    @Test
    void escapesLikeGoPathEscape() {
        assertEquals("Qwen%2FQwen3-235B-A22B-Instruct-2507-FP8", GoUrls.pathEscape("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"));
        assertEquals("a%20b%3Fc%23d%25e:f@g=h&i+j$k%2Cl%3Bm", GoUrls.pathEscape("a b?c#d%e:f@g=h&i+j$k,l;m"));
        assertEquals("%C3%BC", GoUrls.pathEscape("ü"));
    }

    @Test
    void theCallbackUrlEscapesTheModelTwice() {
        assertEquals("http://api:9100/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8",
                GoUrls.pocCallbackUrl("http://api:9100/", "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"));
    }

    @Test
    void theCallbackTokenGoesInFrontOfTheRoute() {
        assertEquals("http://10.0.0.5:9100/t/s3cret-token-0123456/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8",
                GoUrls.pocCallbackUrl("http://10.0.0.5:9100", "s3cret-token-0123456", "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"));
        assertEquals("http://api:9100/v2/poc-batches/m", GoUrls.pocCallbackUrl("http://api:9100", "", "m"));
    }

    @Test
    void endpointsUseOnlyTheNodesHostAndPortsWithAnOptionalVersion() {
        assertEquals(new MlNodeEndpoints("http://10.0.0.21:8080", "http://10.0.0.21:5050"),
                MlNodeEndpoints.of("10.0.0.21", 8080, "", 5050, "", ""));
        assertEquals(new MlNodeEndpoints("http://[fd00::1]:8080/v3.0.8/api", "http://[fd00::1]:5050/v3.0.8"),
                MlNodeEndpoints.of("fd00::1", 8080, "/api", 5050, "", "v3.0.8"));
    }
}
