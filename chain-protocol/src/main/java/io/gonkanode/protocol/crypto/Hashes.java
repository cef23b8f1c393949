package io.gonkanode.protocol.crypto;

import org.bouncycastle.crypto.digests.RIPEMD160Digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 and RIPEMD-160, the chain's two hashes. */
public final class Hashes {

    /**
     * One digest per thread: looking the algorithm up costs more than hashing a tree node (an SMST of a million
     * leaves hashes two million times; bench/ ProofsBench).
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Hashes::newSha256);

    private Hashes() {
    }

    /** A SHA-256 digest of its own, for a hash fed in pieces while other code hashes on the same thread. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] sha256(byte[]... parts) {
        MessageDigest d = SHA256.get();
        d.reset(); // in case an update threw half-way
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    public static byte[] ripemd160(byte[] data) {
        RIPEMD160Digest d = new RIPEMD160Digest();
        d.update(data, 0, data.length);
        byte[] out = new byte[20];
        d.doFinal(out, 0);
        return out;
    }
}
