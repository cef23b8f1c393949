package io.gonkanode.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The host's development keys for local runs: a cold (account) and a warm (signer) secp256k1 key, generated on the
 * first start and kept in {@code DATA_DIR/keys} as 64 hex characters, readable by the owner only (the form
 * {@code inferenced keys export --unarmored-hex --unsafe} prints). chain-sim registers the host with their public
 * keys. Never use them on a real network.
 */
public final class DevKeys {

    private static final BigInteger P = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);
    private static final BigInteger N = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    private static final BigInteger GX = new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16);
    private static final BigInteger GY = new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16);

    public final Path coldKeyFile;
    public final Path warmKeyFile;
    /** Compressed public keys, base64 (ACCOUNT_PUBKEY's form). */
    public final String coldPublic;
    public final String warmPublic;

    private DevKeys(Path dir) {
        coldKeyFile = dir.resolve("cold-key.hex");
        warmKeyFile = dir.resolve("warm-key.hex");
        coldPublic = Base64.getEncoder().encodeToString(publicKey(privateKey(coldKeyFile)));
        warmPublic = Base64.getEncoder().encodeToString(publicKey(privateKey(warmKeyFile)));
    }

    /** The keys in {@code dataDir/keys}, created when missing. */
    public static DevKeys in(Path dataDir) {
        return new DevKeys(dataDir.resolve("keys"));
    }

    private static BigInteger privateKey(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                SecureRandom random = new SecureRandom();
                BigInteger k;
                do {
                    k = new BigInteger(256, random);
                } while (k.signum() == 0 || k.compareTo(N) >= 0);
                Files.writeString(file, String.format("%064x%n", k));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the folder's own permissions apply
                }
            }
            return new BigInteger(Files.readString(file).trim(), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the development key " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " does not hold a private key as 64 hex characters", e);
        }
    }

    /** {@code k·G} on secp256k1, compressed (33 bytes). */
    public static byte[] publicKey(BigInteger k) {
        BigInteger[] r = null;
        BigInteger[] g = {GX, GY};
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            r = add(r, r);
            if (k.testBit(i)) {
                r = add(r, g);
            }
        }
        byte[] x = r[0].toByteArray();
        byte[] out = new byte[33];
        out[0] = (byte) (r[1].testBit(0) ? 3 : 2);
        int len = Math.min(32, x.length);
        System.arraycopy(x, x.length - len, out, 33 - len, len);
        return out;
    }

    /** Affine point addition (null is the point at infinity). */
    private static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        BigInteger slope;
        if (a[0].equals(b[0])) {
            if (!a[1].equals(b[1]) || a[1].signum() == 0) {
                return null;
            }
            slope = a[0].pow(2).multiply(BigInteger.valueOf(3)).multiply(a[1].shiftLeft(1).modInverse(P)).mod(P);
        } else {
            slope = b[1].subtract(a[1]).multiply(b[0].subtract(a[0]).modInverse(P)).mod(P);
        }
        BigInteger x = slope.pow(2).subtract(a[0]).subtract(b[0]).mod(P);
        BigInteger y = slope.multiply(a[0].subtract(x)).subtract(a[1]).mod(P);
        return new BigInteger[] {x, y};
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
