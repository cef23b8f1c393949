package io.gonkanode.collector.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keyring entries in src/test/resources/keyring were written by the SDK keyring's own JOSE library (see its README). */
class CosmosKeyringTest {

    static final String WARM_ADDRESS = "gonka1uthn3cr5nq3y5m8aytaz5ssvrgnfwnvm6avqvr";
    static final String PASSWORD = "correct horse battery staple";

    static Path keyring(String name) throws URISyntaxException {
        return Path.of(CosmosKeyringTest.class.getResource("/keyring/" + name).toURI());
    }

    @Test
    void theFileBackendOpensWithItsPassword() throws Exception {
        assertEquals(WARM_ADDRESS, CosmosKeyring.read(keyring("ascii"), "file", "gonka-warm", PASSWORD).address());
        assertEquals(WARM_ADDRESS, CosmosKeyring.read(keyring("ascii"), null, "gonka-warm", PASSWORD).address(),
                "upstream's default backend is file");
        assertEquals(WARM_ADDRESS, CosmosKeyring.read(keyring("utf8"), "file", "gonka-warm", "pässwörd-ключ").address(),
                "the password's bytes are its UTF-8, as Go's");
    }

    @Test
    void theTestBackendHasItsFixedPassword() throws Exception {
        assertEquals(WARM_ADDRESS, CosmosKeyring.read(keyring("ascii"), "test", "alice", null).address());
    }

    @Test
    void aWrongPasswordIsNamedAndNeverPrinted() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CosmosKeyring.read(keyring("ascii"), "file", "gonka-warm", "Correct horse battery staple"));
        assertTrue(e.getMessage().startsWith("KEYRING_PASSWORD does not open ") && e.getMessage().endsWith("gonka-warm.info"),
                e.getMessage());
        assertFalse(e.getMessage().contains("horse"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> CosmosKeyring.read(keyring("ascii"), "file", "gonka-warm", ""));
        assertTrue(none.getMessage().startsWith("KEYRING_PASSWORD is not set"), none.getMessage());
    }

    @Test
    void aMissingKeyOrBackendSaysWhatToDo() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CosmosKeyring.read(keyring("ascii"), "file", "other-key", PASSWORD));
        assertTrue(missing.getMessage().contains("no key other-key in the keyring")
                && missing.getMessage().contains("keyring-file/other-key.info does not exist")
                && missing.getMessage().contains("inferenced keys add"), missing.getMessage());
        IllegalArgumentException os = assertThrows(IllegalArgumentException.class,
                () -> CosmosKeyring.read(keyring("ascii"), "os", "gonka-warm", PASSWORD));
        assertTrue(os.getMessage().contains("KEYRING_BACKEND os cannot be read here"), os.getMessage());
    }

    @Test
    void aDamagedEntryIsRefused(@TempDir Path dir) throws Exception {
        Path file = CosmosKeyring.entry(dir, "file", "gonka-warm");
        Files.createDirectories(file.getParent());
        String token = Files.readString(CosmosKeyring.entry(keyring("ascii"), "file", "gonka-warm"));
        String[] parts = token.split("\\.");
        char c = parts[3].charAt(10);
        parts[3] = parts[3].substring(0, 10) + (c == 'A' ? 'B' : 'A') + parts[3].substring(11);
        Files.writeString(file, String.join(".", parts));
        IllegalArgumentException damaged = assertThrows(IllegalArgumentException.class,
                () -> CosmosKeyring.read(dir, "file", "gonka-warm", PASSWORD));
        assertTrue(damaged.getMessage().endsWith("is damaged: its content does not match its authentication tag"),
                damaged.getMessage());

        Files.writeString(file, "not a token");
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
                () -> CosmosKeyring.read(dir, "file", "gonka-warm", PASSWORD));
        assertTrue(garbage.getMessage().endsWith("is not a keyring entry (no JWE in compact form)"), garbage.getMessage());
    }

    @Test
    void onlyALocalSecp256k1KeySigns() {
        Path file = Path.of("k.info");
        // Record{name: "k", ledger: {}}
        byte[] ledger = {0x0a, 0x01, 'k', 0x22, 0x00};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CosmosKeyring.privateKey(ledger, file));
        assertTrue(e.getMessage().contains("holds a Ledger key, not a local private key"), e.getMessage());
        // Record{name: "k", local: {priv_key: Any{type_url: "/cosmos.crypto.ed25519.PrivKey"}}}
        byte[] url = "/cosmos.crypto.ed25519.PrivKey".getBytes(StandardCharsets.US_ASCII);
        byte[] any = concat(new byte[] {0x0a, (byte) url.length}, url);
        byte[] local = concat(new byte[] {0x0a, (byte) any.length}, any);
        byte[] record = concat(new byte[] {0x0a, 0x01, 'k', 0x1a, (byte) local.length}, local);
        IllegalArgumentException ed = assertThrows(IllegalArgumentException.class, () -> CosmosKeyring.privateKey(record, file));
        assertTrue(ed.getMessage().contains("holds a /cosmos.crypto.ed25519.PrivKey, not a secp256k1 key"), ed.getMessage());
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
                () -> CosmosKeyring.privateKey(new byte[] {0x0a, 0x05, 'k'}, file));
        assertTrue(truncated.getMessage().contains("holds no keyring record"), truncated.getMessage());
    }

    @Test
    void fileNamesEscapeAsTheKeyringDoes() {
        assertEquals("a%2Fb%25c", CosmosKeyring.escape("a/b%c"));
        assertEquals("gonka-warm", CosmosKeyring.escape("gonka-warm"));
    }

    @Test
    void pbkdf2MatchesRfc7914() throws Exception {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64 (first 32 bytes here)
        assertEquals("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc",
                HexFormat.of().formatHex(CosmosKeyring.pbkdf2Sha256("passwd".getBytes(StandardCharsets.US_ASCII),
                        "salt".getBytes(StandardCharsets.US_ASCII), 1, 32)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
