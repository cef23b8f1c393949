package io.gonkanode.collector.account;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AccountTest {

    @Test
    void ripemd160MatchesTheReferenceVectors() {
        assertEquals("9c1185a5c5e9fc54612808977ee8f548b2258d31", hex(""));
        assertEquals("8eb208f7e05d987a9b044a8e98c6b087f15a0bfc", hex("abc"));
        assertEquals("12a053384a9c0c88e405a06c27dcf49ada62eb2b", hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        assertEquals("9b752e45573d4b39f4dbd3323cab82bf63326bfb", hex("1234567890".repeat(8)));
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(Ripemd160.digest(s.getBytes(StandardCharsets.UTF_8)));
    }

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
