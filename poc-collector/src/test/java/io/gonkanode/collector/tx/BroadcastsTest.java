package io.gonkanode.collector.tx;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes spec §2.5: what each answer of the chain node means for a queued tx. */
class BroadcastsTest {

    @Test
    void inTheMempoolOrItsCacheIsObserved() {
        assertEquals(Broadcasts.Verdict.OBSERVE, Broadcasts.checkTx(0, ""));
        assertEquals(Broadcasts.Verdict.OBSERVE, Broadcasts.checkTx(19, "tx already exists in cache"));
    }

    @Test
    void aFullMempoolAndPassingCausesAreRetried() {
        assertEquals(Broadcasts.Verdict.RETRY, Broadcasts.checkTx(20, "mempool is full"));
        assertEquals(Broadcasts.Verdict.RETRY, Broadcasts.checkTx(30,
                "unordered transaction has a timeout_timestamp that has already passed: invalid request"));
        assertEquals(Broadcasts.Verdict.RETRY, Broadcasts.checkTx(11, "out of gas in location: WriteFlat; gasWanted: 80000"));
        assertEquals(Broadcasts.Verdict.RETRY, Broadcasts.deliverTx(11, "Out Of Gas"));
    }

    @Test
    void aCheckTxRejectionIsAFailureNotASuccess() {
        assertEquals(Broadcasts.Verdict.FAIL, Broadcasts.checkTx(4, "signature verification failed; please verify account number"));
        assertEquals(Broadcasts.Verdict.FAIL, Broadcasts.checkTx(1105, "participant not found"));
        assertEquals(Broadcasts.Verdict.FAIL, Broadcasts.deliverTx(1105, "commit count must increase"));
    }

    @Test
    void aMissingGrantTellsTheOperatorWhatToRun() {
        assertTrue(TxSender.hint("fee-grant not found: unauthorized").contains("grant-ml-ops-permissions"));
        assertEquals("", TxSender.hint("mempool is full"));
    }
}
