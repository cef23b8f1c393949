package io.gonkanode.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DevKeysTest {

    @Test
    void publicKeysAreSecp256k1sCompressedPoints() {
        // 1·G and 2·G, and a key whose y is odd (prefix 03): the curve's published values
        assertEquals("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", DevKeys.hex(DevKeys.publicKey(BigInteger.ONE)));
        assertEquals("02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5", DevKeys.hex(DevKeys.publicKey(BigInteger.TWO)));
        assertEquals("02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9",
                DevKeys.hex(DevKeys.publicKey(BigInteger.valueOf(3))));
        assertEquals("03fff97bd5755eeea420453a14355235d382f6472f8568a18b2f057a1460297556",
                DevKeys.hex(DevKeys.publicKey(BigInteger.valueOf(6))));
    }

    @Test
    void keysAreCreatedOnceReadableByTheOwnerOnlyAndKept(@TempDir Path dir) throws Exception {
        DevKeys first = DevKeys.in(dir);
        DevKeys again = DevKeys.in(dir);
        assertEquals(first.coldPublic, again.coldPublic);
        assertEquals(first.warmPublic, again.warmPublic);
        assertNotEquals(first.coldPublic, first.warmPublic);
        assertEquals(33, Base64.getDecoder().decode(first.coldPublic).length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.warmKeyFile)));
        String hex = Files.readString(first.warmKeyFile).trim();
        assertEquals(64, hex.length());
        assertEquals(DevKeys.hex(DevKeys.publicKey(new BigInteger(hex, 16))), DevKeys.hex(Base64.getDecoder().decode(first.warmPublic)));
    }
}
