package io.gonkanode.protocol.crypto;

/** Account addresses: {@code bech32("gonka", RIPEMD160(SHA256(compressed public key)))}. */
public final class Addresses {

    public static final String PREFIX = "gonka";

    private Addresses() {
    }

    public static String of(byte[] compressedPublicKey) {
        return Bech32.encode(PREFIX, Hashes.ripemd160(Hashes.sha256(compressedPublicKey)));
    }

    /** Whether {@code address} is a well-formed gonka account address (20 bytes). */
    public static boolean isValid(String address) {
        try {
            return Bech32.decode(PREFIX, address).length == 20;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
