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

    /** Reads spec §8: the chain's own stage tests whose epoch starts where the arithmetic puts it. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            // len, shift, stage, exch, delay, val, snv, cutoff, P, wind_down, gen_end, val_start, val_wind_down, val_end, snv, claim, next, poc window, val window
            "100, 90, 20, 1, 2, 10, 1, 0, 10, 26, 30, 32, 40, 42, 43, 44, 110, 11, 31, 33, 42",
            "50, 0, 4, 1, 1, 4, 1, 0, 50, 53, 54, 55, 58, 59, 60, 61, 100, 51, 55, 56, 59",
            "17280, 16980, 60, 5, 5, 20, 120, 80, 300, 348, 360, 365, 381, 385, 505, 506, 17580, 301, 365, 366, 385"})
    void stageTablesOfTheChainsOwnTests(long len, long shift, long stage, long exch, long delay, long val, long snv, long cutoff, long p,
                                        long windDown, long genEnd, long valStart, long valWindDown, long valEnd, long setNew, long claim,
                                        long next, long pocFrom, long pocTo, long valFrom, long valTo) {
        EpochMath m = new EpochMath(new EpochParams(len, shift, stage, exch, delay, val, snv, cutoff));
        EpochMath.Stages s = m.stages(1);
        assertEquals(p, s.pocStart());
        assertEquals(windDown, s.pocGenerationWindDown());
        assertEquals(genEnd, s.pocGenerationEnd());
        assertEquals(valStart, s.pocValidationStart());
        assertEquals(valWindDown, s.pocValidationWindDown());
        assertEquals(valEnd, s.pocValidationEnd());
        assertEquals(setNew, s.setNewValidators());
        assertEquals(claim, s.claimMoney());
        assertEquals(next, s.nextPocStart());
        assertEquals(new EpochMath.Window(pocFrom, pocTo), s.pocExchangeWindow());
        assertEquals(new EpochMath.Window(valFrom, valTo), s.pocValidationExchangeWindow());
    }

    /** Reads spec §8, v0.2.14 row: epoch 42 at 1,000,000 as the chain says, not where today's length alone would put it. */
    @Test
    void anchoredAtTheChainsLatestEpoch() {
        EpochMath m = new EpochMath(new EpochParams(17280, 16980, 35, 0, 5, 240, 120, 2), 42, 1_000_000);
        assertEquals(41, m.latestEpoch(999_999));
        assertEquals(42, m.latestEpoch(1_000_000));
        assertEquals(43, m.latestEpoch(1_017_280));
        EpochMath.Stages s = m.stages(42);
        assertEquals(1_000_028, s.pocGenerationWindDown());
        assertEquals(1_000_035, s.pocGenerationEnd());
        assertEquals(1_000_040, s.pocValidationStart());
        assertEquals(1_000_232, s.pocValidationWindDown());
        assertEquals(1_000_280, s.pocValidationEnd());
        assertEquals(1_000_400, s.setNewValidators());
        assertEquals(1_000_401, s.claimMoney());
        assertEquals(1_017_278, s.inferenceValidationCutoff());
        assertEquals(1_017_280, s.nextPocStart());
        assertEquals(new EpochMath.Window(1_000_001, 1_000_035), s.pocExchangeWindow());
        assertEquals(new EpochMath.Window(1_000_041, 1_000_280), s.pocValidationExchangeWindow());
        assertEquals(PoCGenerate, m.phase(1_000_027));
        assertEquals(PoCGenerateWindDown, m.phase(1_000_028));
        assertEquals(PoCGenerateWindDown, m.phase(1_000_039));
        assertEquals(PoCValidate, m.phase(1_000_040));
        assertEquals(PoCValidateWindDown, m.phase(1_000_232));
        assertEquals(Inference, m.phase(1_000_280));
    }

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
        assertEquals(new EpochMath.Window(366, 385), s.pocValidationExchangeWindow(), "ends with validation (reads spec §2.6)");
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
    /** Reads spec §8, CPoC with v0.2.14 params: generation T+2..T+36, exchange end T+36, validation T+41..T+280. */
    @Test
    void confirmationPocWindowsAreInclusiveEndAsUpstreams() {
        EpochParams v0214 = new EpochParams(17280, 16980, 35, 0, 5, 240, 120, 2);
        long t = 1_005_000;
        var event = io.gonkanode.collector.proto.ConfirmationPoCEvent.newBuilder().setEpochIndex(42).setEventSequence(3)
                .setTriggerHeight(t).setGenerationStartHeight(t + 2).setPocSeedBlockHash("ab".repeat(32))
                .setPhase(io.gonkanode.collector.proto.ConfirmationPoCPhase.CONFIRMATION_POC_GENERATION).build();
        ConfirmationPoc c = ConfirmationPoc.of(event, v0214);
        assertEquals(t + 36, c.generationEnd());
        assertEquals(t + 36, c.exchangeEnd());
        assertEquals(t + 41, c.validationStart());
        assertEquals(t + 280, c.validationEnd());
        assertEquals("ab".repeat(32), c.seedHash(), "the seed as the chain wrote it");
        assertFalse(c.generating(t + 1));
        assertTrue(c.generating(t + 2) && c.generating(t + 36) && c.acceptsBatches(t + 36));
        assertFalse(c.generating(t + 37) || c.acceptsBatches(t + 37));
        assertTrue(c.validating(t + 37), "generation over, validation not begun on chain: the nodes stop generating");
        var validating = ConfirmationPoc.of(event.toBuilder()
                .setPhase(io.gonkanode.collector.proto.ConfirmationPoCPhase.CONFIRMATION_POC_VALIDATION).build(), v0214);
        assertTrue(validating.validating(t + 280));
        assertFalse(validating.validating(t + 281), "inference comes back at validation end + 1");
        assertFalse(ConfirmationPoc.of(event.toBuilder()
                .setPhase(io.gonkanode.collector.proto.ConfirmationPoCPhase.CONFIRMATION_POC_GRACE_PERIOD).build(), v0214).generating(t + 2));
    }
}
