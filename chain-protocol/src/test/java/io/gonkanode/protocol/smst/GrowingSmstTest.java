package io.gonkanode.protocol.smst;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The growing tree's root is the tree's root: the §10.1 vectors batch by batch, and random sets against {@link Smst}. */
class GrowingSmstTest {

    static final HexFormat HEX = HexFormat.of();

    static String rootAfter(int[][] batches) {
        GrowingSmst tree = new GrowingSmst();
        for (int[] batch : batches) {
            byte[][] vectors = new byte[batch.length][];
            for (int i = 0; i < batch.length; i++) {
                vectors[i] = SmstVectorsTest.tv(batch[i]);
            }
            tree.addAll(batch, vectors);
        }
        return HEX.formatHex(tree.root());
    }

    @Test
    void theVectorRootsOfSection10Point1BatchByBatch() {
        assertEquals("c37ff3c98906a0a22cd65891ae94f8a25146c7c168c648470b4a827005660991", rootAfter(new int[][] {}));
        assertEquals("9966a060c2944330d608c6ecf439795d2db071e7cb9840c587a8050de015d084", rootAfter(new int[][] {{0}}));
        assertEquals("da0f6e63f2fa6d57e64ead84735aa1da6eab6a22f16a008f6827de187fa40bce", rootAfter(new int[][] {{1}, {0}}));
        assertEquals("a2dfff786656b1d83c4bf14cb346fb94a301d39039d2ae2cc16babc45700f240",
                rootAfter(new int[][] {{7, 0}, {3, 1, 2}, {6, 4, 5, 4}}));
        assertEquals("811613511cdf472cd8b72ca7615f66a67ffc07bfa89fc1eb86c5a31cd7c829ae", rootAfter(new int[][] {{1000}, {42, 7}, {3}}));
        assertEquals("68e2f3f01b04b406ed8023380a6e8caa20c4bcbfd9c79de7c42402a9c0ae3c4f", rootAfter(new int[][] {{1 << 24}}));
        // the depth grows from 24 to 26 between batches
        assertEquals("70f2105e1815f25d309e394f9291240a82acab50d217bf71637de0e18e209432", rootAfter(new int[][] {{3}, {1 << 25}}));
        assertEquals("dcbb573835b9397557a13abf55f3c013edfde10617a3f494e8e66dad5e244b40", rootAfter(new int[][] {{-1}}));
        assertEquals("9ac94e6c2a2f3b5bbbc6dd6798a36e3116276af387c8d28ac6561ac307c1d8ee",
                rootAfter(new int[][] {{1}, {300000}, {-2, 1}}));
    }

    @Test
    void randomArrivalsInRandomBatchesGiveTheRootOfTheFirstArrivals() {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            GrowingSmst tree = new GrowingSmst();
            List<Smst.Leaf> arrivals = new ArrayList<>();
            int bound = round % 3 == 0 ? Integer.MAX_VALUE : 5_000; // dense ranges with repeats, or sparse with negatives
            for (int batch = 0; batch < 1 + random.nextInt(8); batch++) {
                int n = random.nextInt(400);
                int[] nonces = new int[n];
                byte[][] vectors = new byte[n][];
                for (int i = 0; i < n; i++) {
                    nonces[i] = bound == Integer.MAX_VALUE ? random.nextInt() : random.nextInt(bound);
                    vectors[i] = new byte[24];
                    random.nextBytes(vectors[i]);
                    arrivals.add(new Smst.Leaf(nonces[i], vectors[i]));
                }
                tree.addAll(nonces, vectors);
                Smst reference = Smst.of(arrivals);
                assertEquals(reference.count(), tree.count());
                assertEquals(reference.depth(), tree.depth());
                assertArrayEquals(reference.root(), tree.root(), "round " + round + ", batch " + batch);
            }
        }
    }
}
