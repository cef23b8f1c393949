package io.gonkanode.protocol.smst;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/** Checks an SMST proof the way other hosts' validators do (writes spec §4.5). */
public final class SmstVerifier {

    private SmstVerifier() {
    }

    public static boolean verify(byte[] root, long count, long denseIndex, int nonce, byte[] leafData, List<byte[]> proof) {
        if (proof == null || proof.isEmpty() || count <= 0 || denseIndex < 0 || denseIndex >= count || proof.size() > 64) {
            return false;
        }
        for (byte[] element : proof) {
            if (element == null || element.length != 36) {
                return false;
            }
        }
        int d = proof.size();
        long path = Smst.path(nonce);
        byte[] h = Smst.leafHash(leafData);
        long c = 1;
        long index = 0;
        for (int i = d - 1; i >= 0; i--) {
            byte[] element = proof.get(i);
            byte[] sibling = Arrays.copyOfRange(element, 0, 32);
            long siblingCount = ByteBuffer.wrap(element, 32, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            boolean right = d - 1 - i < 64 && ((path >>> (d - 1 - i)) & 1) == 1;
            long sum = c + siblingCount;
            h = right ? Smst.nodeHash(sibling, h, sum) : Smst.nodeHash(h, sibling, sum);
            c = sum;
            if (right) {
                index += siblingCount;
                if (index >= count && index != denseIndex) {
                    return false;
                }
            }
        }
        return c == count && Arrays.equals(h, root) && index == denseIndex;
    }
}
