package io.gonkanode.protocol.crypto;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** Bech32 (BIP-173, not bech32m) with the 8→5 bit conversion Cosmos addresses use. */
public final class Bech32 {

    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};

    private Bech32() {
    }

    public static String encode(String hrp, byte[] data) {
        byte[] five = convertBits(data, 8, 5, true);
        byte[] checksum = checksum(hrp, five);
        StringBuilder sb = new StringBuilder(hrp).append('1');
        for (byte b : five) {
            sb.append(CHARSET.charAt(b));
        }
        for (byte b : checksum) {
            sb.append(CHARSET.charAt(b));
        }
        return sb.toString();
    }

    /** The data bytes of {@code address} if it is valid bech32 with prefix {@code hrp}, else an IllegalArgumentException. */
    public static byte[] decode(String hrp, String address) {
        if (address == null || address.length() > 90 || !address.equals(address.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("invalid bech32 address");
        }
        int sep = address.lastIndexOf('1');
        if (sep < 1 || !address.substring(0, sep).equals(hrp) || address.length() - sep - 1 < 6) {
            throw new IllegalArgumentException("invalid bech32 prefix: expected " + hrp);
        }
        byte[] values = new byte[address.length() - sep - 1];
        for (int i = 0; i < values.length; i++) {
            int v = CHARSET.indexOf(address.charAt(sep + 1 + i));
            if (v < 0) {
                throw new IllegalArgumentException("invalid bech32 character");
            }
            values[i] = (byte) v;
        }
        if (polymod(concat(expandHrp(hrp), values)) != 1) {
            throw new IllegalArgumentException("invalid bech32 checksum");
        }
        byte[] five = new byte[values.length - 6];
        System.arraycopy(values, 0, five, 0, five.length);
        return convertBits(five, 5, 8, false);
    }

    private static byte[] checksum(String hrp, byte[] five) {
        byte[] values = concat(concat(expandHrp(hrp), five), new byte[6]);
        int mod = polymod(values) ^ 1;
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
        }
        return out;
    }

    private static int polymod(byte[] values) {
        int chk = 1;
        for (byte v : values) {
            int top = chk >>> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ (v & 0xff);
            for (int i = 0; i < 5; i++) {
                if (((top >>> i) & 1) != 0) {
                    chk ^= GENERATOR[i];
                }
            }
        }
        return chk;
    }

    private static byte[] expandHrp(String hrp) {
        byte[] out = new byte[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            out[i] = (byte) (hrp.charAt(i) >>> 5);
            out[i + hrp.length() + 1] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    private static byte[] convertBits(byte[] data, int from, int to, boolean pad) {
        int acc = 0;
        int bits = 0;
        int max = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : data) {
            acc = (acc << from) | (b & 0xff);
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & max);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (to - bits)) & max);
            }
        } else if (bits >= from || ((acc << (to - bits)) & max) != 0) {
            throw new IllegalArgumentException("invalid bech32 padding");
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
