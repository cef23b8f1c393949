package io.gonkanode.collector.account;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AccountTest {

    @Test
    void theAddressOfAGenesisParticipantMatches() {
        // upstream genesis/validators/gonka-1: MsgSubmitNewParticipant creator, signed by this key
        Account a = Account.fromBase64("AgOaIoGHIEb2t+Uj/iYPzWpVxgUfgPKKyLxH1mjm1nxC");
        assertEquals("gonka1dltwc37njhkapzklt9frfhvlk3lpcfz69faly9", a.address());
        assertEquals("02039a2281872046f6b7e523fe260fcd6a55c6051f80f28ac8bc47d668e6d67c42", a.publicKeyHex());
    }

    @Test
    void malformedKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Account.fromBase64("not base64!"));
        assertThrows(IllegalArgumentException.class, () -> Account.fromBase64("AAAA"));
    }
}
