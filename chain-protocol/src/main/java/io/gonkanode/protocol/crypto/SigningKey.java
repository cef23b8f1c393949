package io.gonkanode.protocol.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A secp256k1 private key with its compressed public key and gonka address. The private half never leaves this
 * object: no accessor returns it and {@link #toString()} names only the address, so a key cannot end up in a log
 * line or a response by accident.
 */
public final class SigningKey {

    private final byte[] privateKey;
    private final byte[] publicKey;
    private final String address;

    private SigningKey(byte[] privateKey) {
        this.privateKey = privateKey.clone();
        this.publicKey = Secp256k1.publicKey(privateKey);
        this.address = Addresses.of(publicKey);
    }

    /** The key of 32 private-key bytes; an IllegalArgumentException if they are not a valid secp256k1 scalar. */
    public static SigningKey of(byte[] privateKey) {
        if (privateKey == null || privateKey.length != 32) {
            throw new IllegalArgumentException("a secp256k1 private key is 32 bytes");
        }
        return new SigningKey(privateKey);
    }

    /** The key of 64 hex characters, as {@code inferenced keys export <name> --unarmored-hex --unsafe} prints it. */
    public static SigningKey ofHex(String hex) {
        String h = hex == null ? "" : hex.strip();
        if (!h.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("a private key is 64 hex characters");
        }
        return of(HexFormat.of().parseHex(h));
    }

    /** A 64-byte low-s signature of SHA-256(message) (writes spec §1.5). */
    public byte[] sign(byte[] message) {
        return Secp256k1.sign(privateKey, message);
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key as the chain and ML nodes print it: lower-case hex of the 33 bytes. */
    public String publicKeyHex() {
        return HexFormat.of().formatHex(publicKey);
    }

    public String address() {
        return address;
    }

    /** Whether this is the key of {@code compressedPublicKey}. */
    public boolean matches(byte[] compressedPublicKey) {
        return Arrays.equals(publicKey, compressedPublicKey);
    }

    @Override
    public String toString() {
        return "SigningKey[" + address + "]";
    }
}
