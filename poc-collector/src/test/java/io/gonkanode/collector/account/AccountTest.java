package io.gonkanode.collector.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountTest {

    @Test
    void theAddressOfAGenesisParticipantMatches() {
        // upstream genesis/validators/gonka-1: MsgSubmitNewParticipant creator, signed by this key
        Account a = Account.fromBase64("AgOaIoGHIEb2t+Uj/iYPzWpVxgUfgPKKyLxH1mjm1nxC");
        assertEquals("gonka1dltwc37njhkapzklt9frfhvlk3lpcfz69faly9", a.address());
        assertEquals("02039a2281872046f6b7e523fe260fcd6a55c6051f80f28ac8bc47d668e6d67c42", a.publicKeyHex());
    }

    @Test
    void theWarmKeyFileMustBeTheOwnersAndHoldAKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("warm.key");
        String hex = "169b90f93ac2e499f96e2087d9d65539d9be0e26f05bda725b32b40dc453ff5d";
        Files.writeString(file, hex + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class, () -> WarmKeyFile.read(file));
        assertTrue(open.getMessage().contains("may be read by others (rw-r--r--)") && open.getMessage().contains("chmod 600"),
                open.getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals("gonka1uthn3cr5nq3y5m8aytaz5ssvrgnfwnvm6avqvr", WarmKeyFile.read(file).address());

        Files.writeString(file, hex.substring(2) + "zz");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> WarmKeyFile.read(file));
        assertTrue(bad.getMessage().contains("64 hex characters"), bad.getMessage());
        assertFalse(bad.getMessage().contains(hex.substring(2, 20)), "the key never appears in a message");
        assertThrows(IllegalArgumentException.class, () -> WarmKeyFile.read(dir.resolve("missing")));
    }

    @Test
    void malformedKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Account.fromBase64("not base64!"));
        assertThrows(IllegalArgumentException.class, () -> Account.fromBase64("AAAA"));
    }
}
