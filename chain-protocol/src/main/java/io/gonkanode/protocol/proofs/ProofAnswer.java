package io.gonkanode.protocol.proofs;

import io.gonkanode.protocol.crypto.Hashes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * A proofs answer written in one pass over bytes, upstream's keys in upstream's order:
 * {@code {"proofs":[{"leaf_index":…,"nonce_value":…,"vector_bytes":"…","proof":["…",…]},…],"signer_address":"…",
 * "timestamp":…,"signature":"…"}}. The SHA-256 its signature covers ({@link ProofPayloads#response}) is fed from
 * the same bytes as they are written: per proof the little-endian u32 leaf index and nonce, then the base64 text
 * of the vector and of every proof element. A 500-proof answer is about 600 KB; built as a JSON tree of base64
 * strings, hashed from those strings and serialised again, it cost twice the CPU (docs/benchmarks.md, finding 16).
 */
final class ProofAnswer {

    private static final byte[] BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest signed = Hashes.newSha256();
    private final byte[] le = new byte[8];
    private byte[] buf;
    private int size;
    private int proofs;

    /** {@code expected}: how many proofs will be added (sizes the buffer once). */
    ProofAnswer(int expected) {
        buf = new byte[64 + 1_400 * Math.max(1, expected)];
        ascii("{\"proofs\":[");
    }

    void add(ProofStore.Proof p) {
        if (proofs++ > 0) {
            put(',');
        }
        ascii("{\"leaf_index\":");
        number(p.leafIndex());
        ascii(",\"nonce_value\":");
        number(p.nonce());
        ascii(",\"vector_bytes\":");
        hashU32(p.leafIndex());
        hashU32(p.nonce() & 0xffffffffL);
        base64(p.vector());
        ascii(",\"proof\":[");
        List<byte[]> elements = p.elements();
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                put(',');
            }
            base64(elements.get(i));
        }
        ascii("]}");
    }

    int proofs() {
        return proofs;
    }

    /** The SHA-256 of the proofs part of the signed payload; call once, after the last {@link #add}. */
    byte[] proofsHash() {
        return signed.digest();
    }

    /** The answer's bytes: the proofs, then the signature's fields unless {@code signer} is null (an unsigned answer). */
    byte[] finish(String signer, long timestamp, String signature) {
        put(']');
        if (signer != null) {
            ascii(",\"signer_address\":");
            string(signer);
            ascii(",\"timestamp\":");
            number(timestamp);
            ascii(",\"signature\":");
            string(signature);
        }
        put('}');
        return Arrays.copyOf(buf, size);
    }

    private void hashU32(long v) {
        for (int i = 0; i < 4; i++) {
            le[i] = (byte) (v >>> (8 * i));
        }
        signed.update(le, 0, 4);
    }

    /** Standard base64 with padding, quoted; the text itself goes into the signed hash. */
    private void base64(byte[] src) {
        ensure(4 * ((src.length + 2) / 3) + 2);
        buf[size++] = '"';
        int start = size;
        int i = 0;
        for (int whole = src.length - src.length % 3; i < whole; i += 3) {
            int bits = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8 | (src[i + 2] & 0xff);
            buf[size++] = BASE64[bits >>> 18];
            buf[size++] = BASE64[(bits >>> 12) & 0x3f];
            buf[size++] = BASE64[(bits >>> 6) & 0x3f];
            buf[size++] = BASE64[bits & 0x3f];
        }
        int rest = src.length - i;
        if (rest > 0) {
            int bits = (src[i] & 0xff) << 16 | (rest == 2 ? (src[i + 1] & 0xff) << 8 : 0);
            buf[size++] = BASE64[bits >>> 18];
            buf[size++] = BASE64[(bits >>> 12) & 0x3f];
            buf[size++] = rest == 2 ? BASE64[(bits >>> 6) & 0x3f] : (byte) '=';
            buf[size++] = '=';
        }
        signed.update(buf, start, size - start);
        buf[size++] = '"';
    }

    private void number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                ascii(Long.toString(v));
                return;
            }
            put('-');
            v = -v;
        }
        ensure(19);
        int start = size;
        do {
            buf[size++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        for (int a = start, b = size - 1; a < b; a++, b--) {
            byte t = buf[a];
            buf[a] = buf[b];
            buf[b] = t;
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8. */
    private void string(String s) {
        put('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                put('\\');
                put(c);
            } else if (c < 0x20) {
                ascii(String.format("\\u%04x", (int) c));
            } else if (c < 0x80) {
                put(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                ensure(utf8.length);
                System.arraycopy(utf8, 0, buf, size, utf8.length);
                size += utf8.length;
                i = end - 1;
            }
        }
        put('"');
    }

    /** Text known to be ASCII (keys and punctuation). */
    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    private void put(char c) {
        ensure(1);
        buf[size++] = (byte) c;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size + more, buf.length * 2));
        }
    }
}
