package io.gonkanode.protocol.smst;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SMST vectors of writes spec §10.1 and §10.2, computed by upstream's own code. */
class SmstVectorsTest {

    static final HexFormat HEX = HexFormat.of();

    /** Test vector function A: 12 × LE16(0x3C00 + ((12·i + k) & 0x3FF)). */
    static byte[] tv(int i) {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 12; k++) {
            b.putShort((short) (0x3C00 + ((12 * i + k) & 0x3FF)));
        }
        return b.array();
    }

    static List<Smst.Leaf> leaves(long... nonces) {
        List<Smst.Leaf> out = new ArrayList<>();
        for (long n : nonces) {
            out.add(new Smst.Leaf((int) n, tv((int) n)));
        }
        return out;
    }

    @Test
    void emptySubtreesAndLeafHashes() {
        assertEquals("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", HEX.formatHex(Smst.empty(0)));
        assertEquals("bffd7d3e3037449d8ecc44a8c9febf87634b169feb1ee389feff0f867853b970", HEX.formatHex(Smst.empty(1)));
        assertEquals("15233d9df51243910fbfa864ed837d5f82863098a0d306ac7945a5871df4b3ab", HEX.formatHex(Smst.empty(23)));
        assertEquals("c37ff3c98906a0a22cd65891ae94f8a25146c7c168c648470b4a827005660991", HEX.formatHex(Smst.empty(24)));
        assertEquals("a6897bd3a700c34ad9cb74e1b6423d1e868d3bcaa95f986da12f15cdadc71403", HEX.formatHex(Smst.empty(25)));
        assertEquals("479401d79dd063de86b44445031f2b6aae375b3b039cee0a65924b431396a8da", HEX.formatHex(Smst.empty(31)));
        assertEquals("73660f1979db13f7e02e79a8c979a41c6c761e75ac950e9d7c81fc5059bd5671", HEX.formatHex(Smst.empty(32)));
        assertEquals("003c013c023c033c043c053c063c073c083c093c0a3c0b3c", HEX.formatHex(tv(0)));
        assertEquals("00000000003c013c023c033c043c053c063c073c083c093c0a3c0b3c", HEX.formatHex(Smst.leafData(0, tv(0))));
        assertEquals("dbe4a1a232a642f71de23fcf02001d4343accf75bb28c7f2731d60b2a4ef4745",
                HEX.formatHex(Smst.leafHash(Smst.leafData(0, tv(0)))));
        assertEquals("DDwNPA48DzwQPBE8EjwTPBQ8FTwWPBc8", Base64.getEncoder().encodeToString(tv(1)));
        assertEquals("b254c23b340c9d55c7a502ea3de44779d65a0b7e771db040583fe1b90999efae",
                HEX.formatHex(Smst.leafHash(Smst.leafData(1, tv(1)))));
        assertEquals("c37ff3c98906a0a22cd65891ae94f8a25146c7c168c648470b4a827005660991",
                HEX.formatHex(Smst.of(List.of()).root()), "the empty tree's root");
    }

    record Root(long[] nonces, int depth, String hex, String base64) {
    }

    @Test
    void rootsOfTheVectorSetsInEitherInsertionOrder() {
        List<Root> roots = List.of(
                new Root(new long[] {0}, 24, "9966a060c2944330d608c6ecf439795d2db071e7cb9840c587a8050de015d084", "mWagYMKUQzDWCMbs9Dl5XS2wcefLmEDFh6gFDeAV0IQ="),
                new Root(new long[] {5}, 24, "59fb237fcd235de39296776f6697114ae44318d051ef727ef6b7bfe630e2615c", "Wfsjf80jXeOSlndvZpcRSuRDGNBR73J+9re/5jDiYVw="),
                new Root(new long[] {0, 1}, 24, "da0f6e63f2fa6d57e64ead84735aa1da6eab6a22f16a008f6827de187fa40bce", "2g9uY/L6bVfmTq2Ec1qh2m6raiLxagCPaCfeGH+kC84="),
                new Root(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, 24, "a2dfff786656b1d83c4bf14cb346fb94a301d39039d2ae2cc16babc45700f240", "ot//eGZWsdg8S/FMs0b7lKMB05A50q4swWurxFcA8kA="),
                new Root(new long[] {7, 3, 1000, 42}, 24, "811613511cdf472cd8b72ca7615f66a67ffc07bfa89fc1eb86c5a31cd7c829ae", "gRYTURzfRyzYtyynYV9mpn/8B7+on8HrhsWjHNfIKa4="),
                new Root(new long[] {1 << 24}, 25, "68e2f3f01b04b406ed8023380a6e8caa20c4bcbfd9c79de7c42402a9c0ae3c4f", "aOLz8BsEtAbtgCM4Cm6MqiDEvL/Zx53nxCQCqcCuPE8="),
                new Root(new long[] {3, 1 << 25}, 26, "70f2105e1815f25d309e394f9291240a82acab50d217bf71637de0e18e209432", "cPIQXhgV8l0wnjlPkpEkCoKsq1DSF79xY33g4Y4glDI="),
                new Root(new long[] {-1}, 32, "dcbb573835b9397557a13abf55f3c013edfde10617a3f494e8e66dad5e244b40", "3LtXODW5OXVXoTq/VfPAE+394QYXo/SU6OZtrV4kS0A="),
                new Root(new long[] {1, -2, 300000}, 32, "9ac94e6c2a2f3b5bbbc6dd6798a36e3116276af387c8d28ac6561ac307c1d8ee", "mslObCovO1u7xt1nmKNuMRYnavOHyNKKxlYawwfB2O4="));
        for (Root r : roots) {
            List<Smst.Leaf> forward = leaves(r.nonces());
            List<Smst.Leaf> reversed = new ArrayList<>(forward);
            Collections.reverse(reversed);
            for (List<Smst.Leaf> order : List.of(forward, reversed)) {
                Smst tree = Smst.of(order);
                assertEquals(r.depth(), tree.depth(), r.hex());
                assertEquals(r.nonces().length, tree.count());
                assertEquals(r.hex(), HEX.formatHex(tree.root()));
                assertEquals(r.base64(), Base64.getEncoder().encodeToString(tree.root()));
            }
        }
    }

    @Test
    void denseIndicesFollowTheUnsignedNonceOrder() {
        Smst a = Smst.of(leaves(7, 3, 1000, 42));
        assertEquals(List.of(3, 7, 42, 1000), List.of(a.leaf(0).nonce(), a.leaf(1).nonce(), a.leaf(2).nonce(), a.leaf(3).nonce()));
        Smst b = Smst.of(leaves(1, -2, 300000));
        assertEquals(List.of(1, 300000, -2), List.of(b.leaf(0).nonce(), b.leaf(1).nonce(), b.leaf(2).nonce()));
        assertEquals(2, b.indexOf(-2));
        assertEquals(-1, b.indexOf(4));
    }

    @Test
    void theFullProofOfSection10Point2AndItsVerification() {
        Smst tree = Smst.of(leaves(0, 1));
        List<byte[]> proof = tree.proof(1);
        assertEquals(24, proof.size());
        Base64.Encoder b64 = Base64.getEncoder();
        assertEquals("FSM9nfUSQ5EPv6hk7YN9X4KGMJig0waseUWlhx30s6sAAAAA", b64.encodeToString(proof.get(0)));
        assertEquals("KYV7Shb483ZVOsvioc4GqqCif5EIMAqKIOHtPFxmijEAAAAA", b64.encodeToString(proof.get(1)));
        assertEquals("v/19PjA3RJ2OzESoyf6/h2NLFp/rHuOJ/v8PhnhTuXAAAAAA", b64.encodeToString(proof.get(22)));
        assertEquals("2+ShojKmQvcd4j/PAgAdQ0Osz3W7KMfycx1gsqTvR0UBAAAA", b64.encodeToString(proof.get(23)));
        for (int i = 0; i <= 22; i++) {
            byte[] expected = ByteBuffer.allocate(36).put(Smst.empty(23 - i)).putInt(0).array();
            assertArrayEquals(expected, proof.get(i), "element " + i);
        }
        assertTrue(SmstVerifier.verify(tree.root(), 2, 1, 1, Smst.leafData(1, tv(1)), proof));
        assertFalse(SmstVerifier.verify(tree.root(), 2, 0, 1, Smst.leafData(1, tv(1)), proof), "wrong dense index");
        assertFalse(SmstVerifier.verify(tree.root(), 3, 1, 1, Smst.leafData(1, tv(1)), proof), "wrong count");
        assertFalse(SmstVerifier.verify(tree.root(), 2, 1, 1, Smst.leafData(1, tv(2)), proof), "wrong vector");
        List<byte[]> shortened = new ArrayList<>(proof.subList(1, proof.size()));
        assertFalse(SmstVerifier.verify(tree.root(), 2, 1, 1, Smst.leafData(1, tv(1)), shortened), "a proof of the wrong depth");
    }

    @Test
    void otherProofEndsOfSection10Point2() {
        Smst eight = Smst.of(leaves(0, 1, 2, 3, 4, 5, 6, 7));
        List<byte[]> p3 = eight.proof(3);
        assertArrayEquals(ByteBuffer.allocate(36).put(Smst.empty(23)).putInt(0).array(), p3.get(0));
        assertTrue(HEX.formatHex(p3.get(23)).startsWith("715ef9cf"));
        assertTrue(HEX.formatHex(p3.get(23)).endsWith("581b3401000000"));
        assertTrue(SmstVerifier.verify(eight.root(), 8, 3, 3, Smst.leafData(3, tv(3)), p3));
        Smst deep = Smst.of(leaves(3, 1 << 25));
        List<byte[]> p0 = deep.proof(0);
        assertEquals(26, p0.size());
        assertEquals("75d87ad5646fec4759dac653828baac04444dbb7e9804c6f07191d5fab11381b01000000", HEX.formatHex(p0.get(0)));
        assertTrue(SmstVerifier.verify(deep.root(), 2, 0, 3, Smst.leafData(3, tv(3)), p0));
    }

    @Test
    void everyLeafOfABiggerTreeProvesItselfAndTheFirstNArrivalsFormCountN() {
        List<Smst.Leaf> arrivals = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 3000; i++) {
            int nonce = random.nextInt(1 << 26) - (i % 97 == 0 ? 1 << 30 : 0);
            arrivals.add(new Smst.Leaf(nonce, tv(i)));
        }
        arrivals.add(new Smst.Leaf(arrivals.get(5).nonce(), tv(99999))); // a resent nonce: the first one wins
        Smst all = Smst.of(arrivals);
        for (int i = 0; i < all.count(); i += 7) {
            Smst.Leaf leaf = all.leaf(i);
            assertTrue(SmstVerifier.verify(all.root(), all.count(), i, leaf.nonce(), Smst.leafData(leaf.nonce(), leaf.vector()),
                    all.proof(i)), "leaf " + i);
        }
        Smst first = Smst.of(arrivals, 1000);
        assertEquals(1000, first.count());
        assertArrayEquals(Smst.of(arrivals.subList(0, 1000)).root(), first.root());
    }

    @Test
    void everyLeafOfADenseTreeProvesItself() {
        // ML nodes' nonces are dense: full subtrees below the kept height, partial ones at the edges
        List<Smst.Leaf> arrivals = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            arrivals.add(new Smst.Leaf(i * 7 % 5000, tv(i)));
        }
        for (int i = 0; i < 37; i++) {
            arrivals.add(new Smst.Leaf((1 << 20) + 3 * i, tv(i)));
        }
        Smst all = Smst.of(arrivals);
        for (int i = 0; i < all.count(); i++) {
            Smst.Leaf leaf = all.leaf(i);
            assertTrue(SmstVerifier.verify(all.root(), all.count(), i, leaf.nonce(), Smst.leafData(leaf.nonce(), leaf.vector()),
                    all.proof(i)), "leaf " + i);
        }
        assertArrayEquals(all.root(), new GrowingSmstRoot(arrivals).root, "the growing tree agrees");
    }

    /** The same artifacts through {@link GrowingSmst}, in batches of 100. */
    private static final class GrowingSmstRoot {
        final byte[] root;

        GrowingSmstRoot(List<Smst.Leaf> arrivals) {
            GrowingSmst g = new GrowingSmst();
            for (int from = 0; from < arrivals.size(); from += 100) {
                List<Smst.Leaf> batch = arrivals.subList(from, Math.min(arrivals.size(), from + 100));
                g.addAll(batch.stream().mapToInt(Smst.Leaf::nonce).toArray(), batch.stream().map(Smst.Leaf::vector).toArray(byte[][]::new));
            }
            root = g.root();
        }
    }
}
