package io.gonkanode.api.proxy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelFieldTest {

    static String model(String json) throws IOException {
        return ModelField.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findsTheTopLevelModelWherever() throws IOException {
        assertEquals("m", model("{\"model\":\"m\"}"));
        assertEquals("m", model("{\"messages\":[{\"model\":\"inner\"}],\"x\":{\"model\":\"y\"},\"model\":\"m\"}"));
        assertNull(model("{\"messages\":[]}"));
        assertNull(model("{\"model\":7}"));
    }

    @Test
    void malformedBodiesThrow() {
        assertThrows(IOException.class, () -> model("[1]"));
        assertThrows(IOException.class, () -> model("{\"model\":"));
    }
}
