package io.gonkanode.sim.poc;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonceIteratorTest {

    @Test
    void followsTheMlNodeFormula() {
        NonceIterator it = new NonceIterator(1, 3, 1, 2);
        // node_id + group_id*node_count + k*n_groups*node_count
        assertEquals(List.of(4L, 10L, 16L), List.of(it.nonce(0), it.nonce(1), it.nonce(2)));
    }

    @Test
    void nodesAndBackendsNeverShareANonce() {
        Set<Long> seen = new HashSet<>();
        int nodeCount = 4;
        int groups = 3;
        for (int node = 0; node < nodeCount; node++) {
            for (int group = 0; group < groups; group++) {
                NonceIterator it = new NonceIterator(node, nodeCount, group, groups);
                for (int k = 0; k < 500; k++) {
                    assertTrue(seen.add(it.nonce(k)), "duplicate nonce " + it.nonce(k));
                }
            }
        }
        // together they cover 0 .. 6000 without gaps
        for (long n = 0; n < nodeCount * groups * 500L; n++) {
            assertTrue(seen.contains(n), "missing " + n);
        }
    }
}
