package io.gonkanode.protocol.crypto;

import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Cosmos secp256k1: SHA-256 of the message, ECDSA with an RFC 6979 nonce, 64-byte {@code r ‖ s} with s
 * normalised to the lower half; verification refuses high s and any other length, as the chain does.
 */
public final class Secp256k1 {

    private static final X9ECParameters CURVE = SECNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
    private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

    private Secp256k1() {
    }

    /** The 33-byte compressed public key of a 32-byte private key. */
    public static byte[] publicKey(byte[] privateKey) {
        BigInteger d = new BigInteger(1, privateKey);
        if (d.signum() == 0 || d.compareTo(CURVE.getN()) >= 0) {
            throw new IllegalArgumentException("not a secp256k1 private key");
        }
        return DOMAIN.getG().multiply(d).normalize().getEncoded(true);
    }

    public static byte[] sign(byte[] privateKey, byte[] message) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(new BigInteger(1, privateKey), DOMAIN));
        BigInteger[] rs = signer.generateSignature(Hashes.sha256(message));
        BigInteger s = rs[1].compareTo(HALF_N) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
        byte[] out = new byte[64];
        copy32(rs[0], out, 0);
        copy32(s, out, 32);
        return out;
    }

    /** Whether {@code signature} (64 bytes, low s) signs {@code message} for the compressed {@code publicKey}. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != 33 || signature == null || signature.length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(CURVE.getN()) >= 0 || s.compareTo(HALF_N) > 0) {
            return false;
        }
        ECPoint q;
        try {
            q = CURVE.getCurve().decodePoint(publicKey);
        } catch (IllegalArgumentException e) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(q, DOMAIN));
        return verifier.verifySignature(Hashes.sha256(message), r, s);
    }

    private static void copy32(BigInteger v, byte[] out, int offset) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
    }
}
