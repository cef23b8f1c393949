package io.gonkanode.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CallbackUrlsTest {

    @Test
    void escapesLikeGoPathEscape() {
        assertEquals("Qwen%2FQwen3-235B-A22B-Instruct-2507-FP8", CallbackUrls.pathEscape("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"));
        assertEquals("a%20b%3Fc%23d%25e:f@g=h&i+j$k%2Cl%3Bm", CallbackUrls.pathEscape("a b?c#d%e:f@g=h&i+j$k,l;m"));
        assertEquals("%C3%BC", CallbackUrls.pathEscape("ü"));
    }

    @Test
    void theCallbackUrlEscapesTheModelTwice() {
        assertEquals("http://api:9100/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8",
                CallbackUrls.forModel("http://api:9100/", "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"));
    }

    @Test
    void theCallbackTokenGoesInFrontOfTheRoute() {
        assertEquals("http://10.0.0.5:9100/t/s3cret-token-0123456/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8",
                CallbackUrls.forModel("http://10.0.0.5:9100", "s3cret-token-0123456", "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"));
        assertEquals("http://api:9100/v2/poc-batches/m", CallbackUrls.forModel("http://api:9100", "", "m"));
    }
}
