package io.gonkanode.registry.mlnode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class UntrustedTest {

    @Test
    void controlCharactersGoAndLengthIsCapped() {
        assertEquals("a?b c d", Untrusted.text("a\u0000b\nc\td", 100));
        assertEquals("ab...", Untrusted.text("abcdefgh", 5));
        assertEquals("abcde", Untrusted.text("abcde", 5));
        assertEquals("ü🙂", Untrusted.text("ü🙂", 10), "valid surrogate pairs stay");
        assertEquals("x?", Untrusted.text("x\uD800", 10), "a lone surrogate does not");
        assertNull(Untrusted.text(null, 10));
    }
}
