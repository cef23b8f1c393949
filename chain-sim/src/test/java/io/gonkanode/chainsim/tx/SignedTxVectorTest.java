package io.gonkanode.chainsim.tx;

import io.gonkanode.protocol.tx.TypeUrls;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** The complete signed transaction of writes spec §10.4 (built byte for byte in chain-protocol): accepted, and refused once any byte changes. */
class SignedTxVectorTest {

    static final String WARM_ADDR = "gonka1uthn3cr5nq3y5m8aytaz5ssvrgnfwnvm6avqvr";
    static final String COLD_ADDR = "gonka16wrtv3esfd6m96l7gdv92a70jq7vj4l04x7dkw";

    static final String TX_RAW = "Co8CCoACCh0vY29zbW9zLmF1dGh6LnYxYmV0YTEuTXNnRXhlYxLeAQosZ29ua2ExdXRobjNjcjVucTN5NW04YXl0YXo1c3N2cmduZndudm02YXZxdnIS"
            + "rQEKKC9pbmZlcmVuY2UuaW5mZXJlbmNlLk1zZ1BvQ1YyU3RvcmVDb21taXQSgAEKLGdvbmthMTZ3cnR2M2VzZmQ2bTk2bDdnZHY5MmE3MGpxN3ZqNGwwNHg3ZGt3"
            + "EICtSypMCiZRd2VuL1F3ZW4zLTIzNUItQTIyQi1JbnN0cnVjdC0yNTA3LUZQOBACGiDaD25j8vptV+ZOrYRzWqHabqtqIvFqAI9oJ94Yf6QLziABKggIvPCdxwYQ"
            + "exKEAQpOCkYKHy9jb3Ntb3MuY3J5cHRvLnNlY3AyNTZrMS5QdWJLZXkSIwohAsBOnSohITPCUJohtgM+H01wMIFr0fHsxHjDEQaEgjxHEgQKAggBEjIQvNgnIixn"
            + "b25rYTE2d3J0djNlc2ZkNm05Nmw3Z2R2OTJhNzBqcTd2ajRsMDR4N2RrdxpA0MwgxNtCAXtPFwjykdLvQCv3xdVbIYpb8xHV56g3OmIri0xgWfWRK19bxy+AtdEq"
            + "vbTBPWRXNcSGjKuvagaFOA==";

    /** The chain state the vector was signed for: account 4242 on gonka-mainnet, block time a minute before the timeout. */
    static class VectorLedger implements Ledger {
        final Set<String> seen = new HashSet<>();

        @Override
        public String chainId() {
            return "gonka-mainnet";
        }

        @Override
        public long height() {
            return 1234570;
        }

        @Override
        public Instant blockTime() {
            return Instant.ofEpochSecond(1760000000);
        }

        @Override
        public OptionalLong accountNumber(String address) {
            return WARM_ADDR.equals(address) ? OptionalLong.of(4242) : OptionalLong.empty();
        }

        @Override
        public long sequence(String address) {
            return 0;
        }

        @Override
        public boolean granted(String granter, String grantee, String msgTypeUrl) {
            return COLD_ADDR.equals(granter) && WARM_ADDR.equals(grantee);
        }

        @Override
        public boolean feeAllowance(String granter, String grantee) {
            return COLD_ADDR.equals(granter) && WARM_ADDR.equals(grantee);
        }

        @Override
        public boolean unorderedSeen(String signer, Instant timeout) {
            return seen.contains(signer + "@" + timeout);
        }

        @Override
        public long minGasPriceNgonka() {
            return 0;
        }
    }

    @Test
    void theVectorIsAcceptedAndActsForTheColdAccount() throws TxRejected {
        TxVerifier.Checked checked = TxVerifier.check(TxDecoder.decode(Base64.getDecoder().decode(TX_RAW)), new VectorLedger());
        assertEquals(WARM_ADDR, checked.signer());
        assertEquals(COLD_ADDR, checked.creator());
        assertEquals(TypeUrls.POC_V2_STORE_COMMIT, checked.messages().get(0).getTypeUrl());
        assertEquals(Instant.ofEpochSecond(1760000060, 123), checked.unorderedTimeout());
    }

    @Test
    void anyFlippedByteIsRefused() {
        byte[] raw = Base64.getDecoder().decode(TX_RAW);
        for (int i = 0; i < raw.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] bad = raw.clone();
                bad[i] ^= (byte) bit;
                try {
                    TxVerifier.check(TxDecoder.decode(bad), new VectorLedger());
                    fail("byte " + i + " flipped (" + bit + ") was accepted");
                } catch (TxRejected expected) {
                    // refused, with a code
                }
            }
        }
    }

    @Test
    void theWrongChainAccountNumberOrAMissingGrantAreRefusedWithTheSdksCodes() throws TxRejected {
        Tx tx = TxDecoder.decode(Base64.getDecoder().decode(TX_RAW));
        TxRejected wrongChain = assertThrows(TxRejected.class, () -> TxVerifier.check(tx, new VectorLedger() {
            @Override
            public String chainId() {
                return "gonka-testnet";
            }
        }));
        assertEquals(4, wrongChain.code());
        assertEquals("signature verification failed; please verify account number (4242) and chain-id (gonka-testnet): unauthorized",
                wrongChain.log());
        TxRejected noGrant = assertThrows(TxRejected.class, () -> TxVerifier.check(tx, new VectorLedger() {
            @Override
            public boolean granted(String granter, String grantee, String msgTypeUrl) {
                return false;
            }
        }));
        assertEquals("authz", noGrant.codespace());
        TxRejected noAllowance = assertThrows(TxRejected.class, () -> TxVerifier.check(tx, new VectorLedger() {
            @Override
            public boolean feeAllowance(String granter, String grantee) {
                return false;
            }
        }));
        assertEquals("feegrant", noAllowance.codespace());
        TxRejected late = assertThrows(TxRejected.class, () -> TxVerifier.check(tx, new VectorLedger() {
            @Override
            public Instant blockTime() {
                return Instant.ofEpochSecond(1760000061);
            }
        }));
        assertEquals("unordered transaction has a timeout_timestamp that has already passed: invalid request", late.log());
        TxRejected tooFar = assertThrows(TxRejected.class, () -> TxVerifier.check(tx, new VectorLedger() {
            @Override
            public Instant blockTime() {
                return Instant.ofEpochSecond(1760000060 - 601);
            }
        }));
        assertEquals(18, tooFar.code());
        TxRejected replay = assertThrows(TxRejected.class, () -> TxVerifier.check(tx, new VectorLedger() {
            @Override
            public boolean unorderedSeen(String signer, Instant timeout) {
                return true;
            }
        }));
        assertEquals("tx is duplicated: invalid request", replay.log());
    }
}
