package io.gonkanode.chainsim.conformance;

import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

import java.math.BigInteger;
import java.security.MessageDigest;

/** The test's own secp256k1 signer (writes spec §1.5), written from the spec, not from chain-sim. */
final class Signer {

    private static final X9ECParameters CURVE = SECNamedCurves.getByName("secp256k1");

    private Signer() {
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    static byte[] publicKey(byte[] priv) {
        return CURVE.getG().multiply(new BigInteger(1, priv)).normalize().getEncoded(true);
    }

    static byte[] sign(byte[] priv, byte[] message) throws Exception {
        ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        s.init(true, new ECPrivateKeyParameters(new BigInteger(1, priv),
                new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH())));
        BigInteger[] rs = s.generateSignature(sha256(message));
        BigInteger sv = rs[1].compareTo(CURVE.getN().shiftRight(1)) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
        byte[] out = new byte[64];
        put(rs[0], out, 0);
        put(sv, out, 32);
        return out;
    }

    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) throws Exception {
        if (signature.length != 64) {
            return false;
        }
        ECDSASigner v = new ECDSASigner();
        v.init(false, new org.bouncycastle.crypto.params.ECPublicKeyParameters(CURVE.getCurve().decodePoint(publicKey),
                new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH())));
        return v.verifySignature(sha256(message), new BigInteger(1, java.util.Arrays.copyOf(signature, 32)),
                new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64)));
    }

    private static void put(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int n = Math.min(32, b.length);
        System.arraycopy(b, b.length - n, out, off + 32 - n, n);
    }
}
