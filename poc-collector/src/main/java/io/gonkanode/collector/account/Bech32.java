package io.gonkanode.collector.account;

import java.io.ByteArrayOutputStream;

/** Bech32 (BIP-173) encoding, as Cosmos addresses use it. */
public final class Bech32 {

    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};

    private Bech32() {
    }

    public static String encode(String hrp, byte[] data) {
        byte[] five = convertBits(data, 8, 5);
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

    private static int polymod(byte[] values) {
        int chk = 1;
        for (byte v : values) {
            int top = chk >>> 25;
            chk = (chk & 0x1ffffff) << 5 ^ (v & 0xff);
            for (int i = 0; i < 5; i++) {
                if (((top >>> i) & 1) == 1) {
                    chk ^= GENERATOR[i];
                }
            }
        }
        return chk;
    }

    private static byte[] expandHrp(String hrp) {
        byte[] out = new byte[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            out[i] = (byte) (hrp.charAt(i) >> 5);
            out[i + hrp.length() + 1] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    private static byte[] checksum(String hrp, byte[] data) {
        byte[] hrpExp = expandHrp(hrp);
        byte[] values = new byte[hrpExp.length + data.length + 6];
        System.arraycopy(hrpExp, 0, values, 0, hrpExp.length);
        System.arraycopy(data, 0, values, hrpExp.length, data.length);
        int mod = polymod(values) ^ 1;
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
        }
        return out;
    }

    private static byte[] convertBits(byte[] data, int from, int to) {
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
        if (bits > 0) {
            out.write((acc << (to - bits)) & max);
        }
        return out.toByteArray();
    }
}
