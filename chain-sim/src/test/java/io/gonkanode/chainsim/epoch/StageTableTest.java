package io.gonkanode.chainsim.epoch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stage tables of reads spec §8 (upstream's epoch tests and the mainnet values). */
class StageTableTest {

    static long[] stages(EpochContext c) {
        return new long[] {c.generationWindDown(), c.generationEnd(), c.validationStart(), c.validationWindDown(), c.validationEnd(),
                c.setNewValidators(), c.claimMoney(), c.nextPocStart()};
    }

    @Test
    void upstreamsTestPlain() {
        EpochContext c = new EpochContext(1, 10, new EpochParams(100, 90, 20, 1, 2, 10, 1, 0));
        assertArrayEquals(new long[] {26, 30, 32, 40, 42, 43, 44, 110}, stages(c));
        assertArrayEquals(new long[] {11, 31}, c.pocExchangeWindow());
        assertArrayEquals(new long[] {33, 42}, c.validationExchangeWindow());
    }

    @Test
    void upstreamsTestWalkingThroughTheNextPoc() {
        EpochContext c = new EpochContext(6, 4800, new EpochParams(2000, 90, 60, 1, 2, 20, 1, 0));
        assertArrayEquals(new long[] {4848, 4860, 4862, 4878, 4882, 4883, 4884, 6800}, stages(c));
        assertArrayEquals(new long[] {4801, 4861}, c.pocExchangeWindow());
        assertArrayEquals(new long[] {4863, 4882}, c.validationExchangeWindow());
    }

    @Test
    void upstreamsTestProdBug() {
        EpochContext c = new EpochContext(1, 50, new EpochParams(50, 0, 4, 1, 1, 4, 1, 0));
        assertArrayEquals(new long[] {53, 54, 55, 58, 59, 60, 61, 100}, stages(c));
        assertArrayEquals(new long[] {51, 55}, c.pocExchangeWindow());
        assertArrayEquals(new long[] {56, 59}, c.validationExchangeWindow());
        assertTrue(c.inValidationExchangeWindow(57));
    }

    @Test
    void epochZeroHasNoPocAndTheFirstOneStartsAtLengthMinusShift() {
        EpochParams p = new EpochParams(100, 90, 20, 1, 2, 10, 1, 0);
        EpochContext zero = new EpochContext(0, 0, p);
        assertEquals(10, zero.nextPocStart());
        for (long h = 0; h < 10; h++) {
            assertEquals(Phase.Inference, zero.phaseAt(h));
        }
        assertArrayEquals(new long[] {0, 0}, zero.pocExchangeWindow());
        assertArrayEquals(new long[] {26, 30, 32, 40, 42, 43, 44, 110}, stages(new EpochContext(1, zero.nextPocStart(), p)));
    }

    @Test
    void mainnetGenesisAndV0214() {
        EpochContext genesis = new EpochContext(1, new EpochContext(0, 0, new EpochParams(17280, 16980, 60, 5, 5, 20, 120, 80)).nextPocStart(),
                new EpochParams(17280, 16980, 60, 5, 5, 20, 120, 80));
        assertEquals(300, genesis.pocStart());
        assertArrayEquals(new long[] {348, 360, 365, 381, 385, 505, 506, 17580}, stages(genesis));
        assertEquals(17500, genesis.inferenceValidationCutoff());
        assertArrayEquals(new long[] {301, 365}, genesis.pocExchangeWindow());
        assertArrayEquals(new long[] {366, 385}, genesis.validationExchangeWindow());

        EpochContext v = new EpochContext(42, 1000000, EpochParams.mainnet());
        assertArrayEquals(new long[] {1000028, 1000035, 1000040, 1000232, 1000280, 1000400, 1000401, 1017280}, stages(v));
        assertEquals(1017278, v.inferenceValidationCutoff());
        assertArrayEquals(new long[] {1000001, 1000035}, v.pocExchangeWindow());
        assertArrayEquals(new long[] {1000041, 1000280}, v.validationExchangeWindow());
        for (long h = 1000000; h <= 1000300; h++) {
            Phase expected = h <= 1000027 ? Phase.PoCGenerate : h <= 1000039 ? Phase.PoCGenerateWindDown
                    : h <= 1000231 ? Phase.PoCValidate : h <= 1000279 ? Phase.PoCValidateWindDown : Phase.Inference;
            assertEquals(expected, v.phaseAt(h), "height " + h);
        }
        assertEquals(Phase.Inference, v.phaseAt(999999));
    }

    @Test
    void dapisPhaseTestWindows() {
        EpochContext c = new EpochContext(1, 100, new EpochParams(1000, 0, 100, 50, 10, 100, 0, 0));
        assertEquals(Phase.PoCGenerate, c.phaseAt(110));
        assertEquals(Phase.PoCGenerateWindDown, c.phaseAt(190));
        assertArrayEquals(new long[] {101, 250}, c.pocExchangeWindow());
        assertTrue(c.inPocExchangeWindow(190));
        assertTrue(!c.inPocExchangeWindow(260));
    }
}
