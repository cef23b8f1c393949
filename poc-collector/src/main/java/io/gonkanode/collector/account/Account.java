package io.gonkanode.collector.account;

import io.gonkanode.protocol.crypto.Addresses;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The host account from {@code ACCOUNT_PUBKEY} (base64 of the 33-byte compressed secp256k1 key): its lowercase
 * hex form, which ML nodes echo in PoC batches, and its {@code gonka1...} address, RIPEMD-160 of SHA-256 of
 * the key in bech32.
 */
public record Account(byte[] publicKey, String publicKeyHex, String address) {

    public static Account fromBase64(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ACCOUNT_PUBKEY is not base64: " + e.getMessage());
        }
        if (key.length != 33 || (key[0] != 2 && key[0] != 3)) {
            throw new IllegalArgumentException("ACCOUNT_PUBKEY must be a compressed secp256k1 key (33 bytes starting with 02 or 03), got "
                    + key.length + " bytes");
        }
        return new Account(key, HexFormat.of().formatHex(key), address(key));
    }

    public static String address(byte[] publicKey) {
        return Addresses.of(publicKey);
    }
}
