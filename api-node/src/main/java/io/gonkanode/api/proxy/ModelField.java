package io.gonkanode.api.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Finds the top-level {@code "model"} of a request body with a streaming parser: the body itself is
 * forwarded untouched, so nothing else of it needs reading.
 */
public final class ModelField {

    private static final JsonFactory JSON = new JsonFactory();

    /** The model, or null when absent; throws on malformed JSON or a non-object body. */
    public static String of(byte[] body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("model")) {
                    return value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        }
    }

    private ModelField() {
    }
}
