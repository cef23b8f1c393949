package io.gonkanode.sim.poc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinomialTestTest {

    @Test
    void fraudFromExactly31MismatchesOf200AtP01AndAlpha001() {
        assertTrue(BinomialTest.pValueAtLeast(31, 200, 0.1) < 0.01);
        assertTrue(BinomialTest.pValueAtLeast(30, 200, 0.1) >= 0.01);
    }

    @Test
    void at5PercentTheThresholdIs28() {
        assertTrue(BinomialTest.pValueAtLeast(28, 200, 0.1) < 0.05);
        assertTrue(BinomialTest.pValueAtLeast(27, 200, 0.1) >= 0.05);
    }

    @Test
    void matchesClosedForms() {
        assertEquals(1.0, BinomialTest.pValueAtLeast(0, 200, 0.1));
        assertEquals(0.5, BinomialTest.pValueAtLeast(1, 1, 0.5), 1e-12);
        assertEquals(0.25, BinomialTest.pValueAtLeast(2, 2, 0.5), 1e-12);
        assertEquals(1 - Math.pow(0.9, 200), BinomialTest.pValueAtLeast(1, 200, 0.1), 1e-12);
        assertEquals(Math.pow(0.1, 200), BinomialTest.pValueAtLeast(200, 200, 0.1), 1e-210);
        assertEquals(0.0, BinomialTest.pValueAtLeast(201, 200, 0.1));
    }

    @Test
    void largeSamplesStayFast() {
        double p = BinomialTest.pValueAtLeast(1100, 10_000, 0.1);
        assertTrue(p > 0 && p < 0.01, "p=" + p);
    }
}
