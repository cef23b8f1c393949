package io.gonkanode.common;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RequestIdsTest {

    @Test
    void aCallersSafeIdIsKeptAndAnythingElseReplacedByAFreshVersion4Uuid() {
        assertEquals("req-42:a.b_c", RequestIds.accept("req-42:a.b_c"));
        for (String unsafe : new String[] {null, "", "a b", "line\nbreak", "x".repeat(129), "<script>"}) {
            String id = RequestIds.accept(unsafe);
            assertNotEquals(unsafe, id);
            assertEquals(4, UUID.fromString(id).version(), id);
            assertEquals(2, UUID.fromString(id).variant(), id);
        }
        assertNotEquals(RequestIds.newId(), RequestIds.newId());
    }
}
