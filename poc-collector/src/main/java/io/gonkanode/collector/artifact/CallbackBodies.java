package io.gonkanode.collector.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.common.rest.ApiException;

import java.io.IOException;

/** The small callback bodies (v1 batches, verdicts) read as a JSON object, or a 400 that says what is wrong. */
public final class CallbackBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CallbackBodies() {
    }

    public static JsonNode object(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("invalid request body: expected a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.badRequest("invalid request body: malformed JSON");
        }
    }
}
