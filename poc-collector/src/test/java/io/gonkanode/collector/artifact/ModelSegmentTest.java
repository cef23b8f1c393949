package io.gonkanode.collector.artifact;

import io.gonkanode.common.CallbackUrls;
import io.gonkanode.common.rest.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelSegmentTest {

    @Test
    void theDoubleEscapedModelRoundTrips() {
        String model = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
        String url = CallbackUrls.forModel("http://api:9100/", model);
        assertEquals("http://api:9100/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8", url);
        assertEquals(model, ModelSegment.decode(url.substring(url.lastIndexOf('/') + 1)));
        assertEquals("org/model b+c", ModelSegment.decode(CallbackUrls.pathEscape(CallbackUrls.pathEscape("org/model b+c"))));
    }

    @Test
    void brokenSegmentsAreRefusedLikeUpstream() {
        assertEquals("model_id required", assertThrows(ApiException.class, () -> ModelSegment.decode("")).getMessage());
        assertEquals("invalid model_id", assertThrows(ApiException.class, () -> ModelSegment.decode("a%2")).getMessage());
        assertEquals("invalid model_id", assertThrows(ApiException.class, () -> ModelSegment.decode("a%25zz")).getMessage());
    }
}
