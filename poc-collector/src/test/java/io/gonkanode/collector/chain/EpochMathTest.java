package io.gonkanode.collector.chain;

import org.junit.jupiter.api.Test;

import static io.gonkanode.collector.chain.EpochMath.Phase.Inference;
import static io.gonkanode.collector.chain.EpochMath.Phase.PoCGenerate;
import static io.gonkanode.collector.chain.EpochMath.Phase.PoCGenerateWindDown;
import static io.gonkanode.collector.chain.EpochMath.Phase.PoCValidate;
import static io.gonkanode.collector.chain.EpochMath.Phase.PoCValidateWindDown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochMathTest {

    /** Mainnet genesis (gonka-mainnet, 2025-08-22). */
    static final EpochParams GENESIS = new EpochParams(17280, 16980, 60, 5, 5, 20, 120, 80);

    @Test
    void genesisPhasesMatchTheDerivedOffsetsOfTheSpec() {
        EpochMath m = new EpochMath(GENESIS);
        long p = m.pocStart(1);
        assertEquals(300, p, "epoch 0 lasts epoch_length - epoch_shift");
        assertEquals(Inference, m.phase(p - 1));
        assertEquals(PoCGenerate, m.phase(p));
        assertEquals(PoCGenerate, m.phase(p + 47));
        assertEquals(PoCGenerateWindDown, m.phase(p + 48));
        assertEquals(PoCGenerateWindDown, m.phase(p + 64));
        assertEquals(PoCValidate, m.phase(p + 65));
        assertEquals(PoCValidate, m.phase(p + 80));
        assertEquals(PoCValidateWindDown, m.phase(p + 81));
        assertEquals(PoCValidateWindDown, m.phase(p + 84));
        assertEquals(Inference, m.phase(p + 85));
        assertEquals(p + 205, m.stages(1).setNewValidators());
        assertEquals(p + 17280, m.pocStart(2));
    }

    @Test
    void theLatestEpochIncrementsAtPocStartAndTheEffectiveOneAtSetNewValidators() {
        EpochMath m = new EpochMath(GENESIS);
        long p2 = m.pocStart(2);
        assertEquals(0, m.latestEpoch(299));
        assertEquals(1, m.latestEpoch(300));
        assertEquals(1, m.latestEpoch(p2 - 1));
        assertEquals(2, m.latestEpoch(p2));
        assertEquals(0, m.effectiveEpoch(300 + 204));
        assertEquals(1, m.effectiveEpoch(300 + 205));
        assertEquals(1, m.effectiveEpoch(p2 + 204));
        assertEquals(2, m.effectiveEpoch(p2 + 205));
    }

    @Test
    void windowsFollowTheExchangeDeadlineAndTheValidationStages() {
        EpochMath m = new EpochMath(GENESIS);
        assertFalse(m.inGenerationWindow(299));
        assertTrue(m.inGenerationWindow(300));
        assertTrue(m.inGenerationWindow(300 + 65));
        assertFalse(m.inGenerationWindow(300 + 66));
        assertFalse(m.inValidationWindow(300 + 64));
        assertTrue(m.inValidationWindow(300 + 65));
        assertTrue(m.inValidationWindow(300 + 205));
        assertFalse(m.inValidationWindow(300 + 206));
        EpochMath.Stages s = m.stages(1);
        assertEquals(new EpochMath.Window(301, 365), s.pocExchangeWindow());
        assertEquals(new EpochMath.Window(366, 505), s.pocValidationExchangeWindow());
        assertEquals(300 + 17280 - 80, s.inferenceValidationCutoff());
    }

    @Test
    void v0210ParamsCloseTheExchangeAtTheEndOfGeneration() {
        EpochMath m = new EpochMath(new EpochParams(17280, 16980, 35, 0, 5, 240, 120, 2));
        assertEquals(PoCGenerateWindDown, m.phase(300 + 28));
        assertTrue(m.inGenerationWindow(300 + 35));
        assertFalse(m.inGenerationWindow(300 + 36));
    }

    @Test
    void stagesThatDoNotFitAnEpochAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EpochMath(new EpochParams(100, 10, 60, 5, 5, 20, 120, 0)));
    }
}
