package io.gonkanode.registry.callback;

import io.gonkanode.registry.config.GonkaConfig;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings of the callback token; the generated, kept one is covered by NodeManagerTest and NodeManagerSimTest. */
class CallbackTokenTest {

    static GonkaConfig token(String value) {
        return new GonkaConfig() {
            public String pocCallbackUrl() {
                return "http://api:9100";
            }

            public Optional<String> pocCallbackToken() {
                return Optional.ofNullable(value);
            }

            public Optional<String> accountPubkey() {
                return Optional.empty();
            }

            public Optional<String> mlnodeVersion() {
                return Optional.empty();
            }
        };
    }

    @Test
    void aConfiguredTokenIsHandedOutAsItIs() {
        assertEquals(Optional.of("operator-chosen-token-123"), new CallbackToken(token(" operator-chosen-token-123 "), null).value());
    }

    @Test
    void noneHandsOutUpstreamsPlainUrls() {
        assertEquals(Optional.empty(), new CallbackToken(token("none"), null).value());
        assertEquals(Optional.empty(), new CallbackToken(token("NONE"), null).value());
    }

    @Test
    void aTokenThatCannotRideInAUrlIsRefusedAtStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CallbackToken(token("short"), null));
        assertTrue(e.getMessage().startsWith("GONKA_CALLBACK_TOKEN must be 16 to 256 characters"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new CallbackToken(token("has/a/slash/in/it/0123"), null));
    }
}
