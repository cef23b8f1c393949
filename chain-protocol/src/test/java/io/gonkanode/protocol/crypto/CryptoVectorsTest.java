package io.gonkanode.protocol.crypto;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Addresses and signatures against the vectors of the chain specs (reads §8, writes §1.3, §1.5, §10.4). */
class CryptoVectorsTest {

    static final HexFormat HEX = HexFormat.of();

    @Test
    void addressesAreBech32OfRipemd160OfSha256OfTheCompressedKey() {
        assertEquals("gonka1jwrv4q8hpxc354pr87pt0pkulaep67e9s4z0ym",
                Addresses.of(Base64.getDecoder().decode("Au5ZQav3E36PZpGta2xUa8r9xEEo9Biph3fG5i3qaeSG")));
        byte[] key = Base64.getDecoder().decode("Ao8VPh5U5XQBcJ6qxAIwBbhF/3UPZEwzZ9H/qbIA6ipj");
        assertEquals("4104aea11421aa541142a8030114ead2f5029b2c", HEX.formatHex(Hashes.ripemd160(Hashes.sha256(key))));
        assertEquals("gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw", Addresses.of(key));
    }

    @Test
    void bech32DecodingRefusesABadChecksumPrefixOrCase() {
        assertArrayEquals(HEX.parseHex("4104aea11421aa541142a8030114ead2f5029b2c"),
                Bech32.decode("gonka", "gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw"));
        assertThrows(IllegalArgumentException.class, () -> Bech32.decode("gonka", "gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehq"));
        assertThrows(IllegalArgumentException.class, () -> Bech32.decode("cosmos", "gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw"));
        assertFalse(Addresses.isValid("GONKA1GYZ2AGG5YX49GY2Z4QPSZ9826T6S9XEV6TKEHW"));
        assertTrue(Addresses.isValid("gonka16wrtv3esfd6m96l7gdv92a70jq7vj4l04x7dkw"));
    }

    @Test
    void signaturesAreRfc6979WithLowSAndVerifyOnlyAsTheChainDoes() {
        byte[] one = new byte[32];
        one[31] = 1;
        byte[] sig = Secp256k1.sign(one, "Satoshi Nakamoto".getBytes(StandardCharsets.US_ASCII));
        assertEquals("934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
                + "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5", HEX.formatHex(sig));
        byte[] pub = Secp256k1.publicKey(one);
        assertTrue(Secp256k1.verify(pub, "Satoshi Nakamoto".getBytes(StandardCharsets.US_ASCII), sig));
        assertFalse(Secp256k1.verify(pub, "Satoshi Nakamotp".getBytes(StandardCharsets.US_ASCII), sig));
        // the same signature with high s is valid ECDSA but refused, as the chain refuses it
        BigInteger n = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
        BigInteger highS = n.subtract(new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64)));
        byte[] high = sig.clone();
        byte[] s = highS.toByteArray();
        System.arraycopy(s, s.length - 32, high, 32, 32);
        assertFalse(Secp256k1.verify(pub, "Satoshi Nakamoto".getBytes(StandardCharsets.US_ASCII), high));
        assertFalse(Secp256k1.verify(pub, "Satoshi Nakamoto".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOf(sig, 63)));
    }

    @Test
    void theTestKeysOfWritesSection10Point4() {
        byte[] warm = Hashes.sha256("gonka-java-test-warm-key".getBytes(StandardCharsets.US_ASCII));
        byte[] cold = Hashes.sha256("gonka-java-test-cold-key".getBytes(StandardCharsets.US_ASCII));
        assertEquals("169b90f93ac2e499f96e2087d9d65539d9be0e26f05bda725b32b40dc453ff5d", HEX.formatHex(warm));
        assertEquals("02c04e9d2a212133c2509a21b6033e1f4d7030816bd1f1ecc478c3110684823c47", HEX.formatHex(Secp256k1.publicKey(warm)));
        assertEquals("gonka1uthn3cr5nq3y5m8aytaz5ssvrgnfwnvm6avqvr", Addresses.of(Secp256k1.publicKey(warm)));
        assertEquals("0290dbd109c62d9f9519277ebc60da37b4d767696cfa5b729d50ffae3cc94b0e1b", HEX.formatHex(Secp256k1.publicKey(cold)));
        assertEquals("gonka16wrtv3esfd6m96l7gdv92a70jq7vj4l04x7dkw", Addresses.of(Secp256k1.publicKey(cold)));
    }
}
