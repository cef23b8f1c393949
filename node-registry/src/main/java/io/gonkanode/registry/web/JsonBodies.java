package io.gonkanode.registry.web;

import io.gonkanode.common.rest.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;

/**
 * Reads a request body as JSON the way the gonka Admin API expects: {@code application/json} (or
 * {@code +json}) or no Content-Type at all; anything else is a 415 that tells curl users what to add.
 */
public final class JsonBodies {

    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        READER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(1 << 20)
                .build());
    }

    private JsonBodies() {
    }

    public static JsonNode read(String contentType, byte[] body) {
        requireJson(contentType);
        if (body != null && body.length > BodyLimit.MAX_BODY_BYTES) {
            throw BodyLimit.tooLarge();
        }
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("invalid request body: the body is empty; send a JSON document");
        }
        try {
            JsonNode node = READER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("invalid request body: the body is empty; send a JSON document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid request body: malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("invalid request body: " + e.getMessage());
        }
    }

    static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            throw new ApiException(415, "unsupported Content-Type '" + contentType + "': send application/json");
        }
        boolean json = "application".equalsIgnoreCase(type.getType())
                && ("json".equalsIgnoreCase(type.getSubtype()) || type.getSubtype().toLowerCase().endsWith("+json"));
        if (!json) {
            throw new ApiException(415, "unsupported Content-Type '" + contentType
                    + "': send JSON with -H 'Content-Type: application/json'");
        }
    }
}
