package io.gonkanode.chainsim.tx;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.gonkanode.chainsim.crypto.Hashes;
import io.gonkanode.chainsim.crypto.Secp256k1;
import io.gonkanode.chainsim.proto.cosmos.AuthInfo;
import io.gonkanode.chainsim.proto.cosmos.Fee;
import io.gonkanode.chainsim.proto.cosmos.ModeInfo;
import io.gonkanode.chainsim.proto.cosmos.MsgExec;
import io.gonkanode.chainsim.proto.cosmos.PubKey;
import io.gonkanode.chainsim.proto.cosmos.SignDoc;
import io.gonkanode.chainsim.proto.cosmos.SignerInfo;
import io.gonkanode.chainsim.proto.cosmos.TxBody;
import io.gonkanode.chainsim.proto.cosmos.TxRaw;
import io.gonkanode.chainsim.proto.inference.MsgPoCV2StoreCommit;
import io.gonkanode.chainsim.proto.inference.PoCV2CommitEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** The complete signed transaction of writes spec §10.4, built byte for byte, accepted, and refused once any byte changes. */
class SignedTxVectorTest {

    static final HexFormat HEX = HexFormat.of();
    static final byte[] WARM = Hashes.sha256("gonka-java-test-warm-key".getBytes(StandardCharsets.US_ASCII));
    static final String WARM_ADDR = "gonka1uthn3cr5nq3y5m8aytaz5ssvrgnfwnvm6avqvr";
    static final String COLD_ADDR = "gonka16wrtv3esfd6m96l7gdv92a70jq7vj4l04x7dkw";
    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final String ROOT = "da0f6e63f2fa6d57e64ead84735aa1da6eab6a22f16a008f6827de187fa40bce";

    static final String INNER = "0a2c676f6e6b613136777274763365736664366d39366c3767647639326137306a7137766a346c30347837646b77"
            + "1080ad4b2a4c0a265177656e2f5177656e332d323335422d413232422d496e7374727563742d323530372d46503810021a20"
            + "da0f6e63f2fa6d57e64ead84735aa1da6eab6a22f16a008f6827de187fa40bce";
    static final String BODY = "0a80020a1d2f636f736d6f732e617574687a2e763162657461312e4d73674578656312de010a2c676f6e6b61317574686e33"
            + "6372356e713379356d38617974617a3573737672676e66776e766d36617671767212ad010a282f696e666572656e63652e696e666572656e"
            + "63652e4d7367506f43563253746f7265436f6d6d69741280010a2c676f6e6b613136777274763365736664366d39366c376764763932613730"
            + "6a7137766a346c30347837646b771080ad4b2a4c0a265177656e2f5177656e332d323335422d413232422d496e7374727563742d323530372d"
            + "46503810021a20da0f6e63f2fa6d57e64ead84735aa1da6eab6a22f16a008f6827de187fa40bce20012a0808bcf09dc706107b";
    static final String AUTH = "0a4e0a460a1f2f636f736d6f732e63727970746f2e736563703235366b312e5075624b657912230a2102c04e9d2a212133c2509a21"
            + "b6033e1f4d7030816bd1f1ecc478c3110684823c4712040a020801123210bcd827222c676f6e6b613136777274763365736664366d39366c37"
            + "67647639326137306a7137766a346c30347837646b77";
    static final String SIGNATURE = "d0cc20c4db42017b4f1708f291d2ef402bf7c5d55b218a5bf311d5e7a8373a62"
            + "2b8b4c6059f5912b5f5bc72f80b5d12abdb4c13d645735c4868cabaf6a068538";
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
    void theTransactionIsBuiltByteForByte() {
        MsgPoCV2StoreCommit commit = MsgPoCV2StoreCommit.newBuilder().setCreator(COLD_ADDR).setPocStageStartBlockHeight(1234560)
                .addEntries(PoCV2CommitEntry.newBuilder().setModelId(MODEL).setCount(2).setRootHash(ByteString.fromHex(ROOT))).build();
        assertEquals(INNER, HEX.formatHex(commit.toByteArray()));
        MsgExec exec = MsgExec.newBuilder().setGrantee(WARM_ADDR)
                .addMsgs(Any.newBuilder().setTypeUrl(TypeUrls.POC_V2_STORE_COMMIT).setValue(commit.toByteString())).build();
        TxBody body = TxBody.newBuilder().addMessages(Any.newBuilder().setTypeUrl(TypeUrls.MSG_EXEC).setValue(exec.toByteString()))
                .setUnordered(true).setTimeoutTimestamp(Timestamp.newBuilder().setSeconds(1760000060).setNanos(123)).build();
        assertEquals(BODY, HEX.formatHex(body.toByteArray()));
        AuthInfo auth = AuthInfo.newBuilder().addSignerInfos(SignerInfo.newBuilder()
                        .setPublicKey(Any.newBuilder().setTypeUrl("/cosmos.crypto.secp256k1.PubKey")
                                .setValue(PubKey.newBuilder().setKey(ByteString.copyFrom(Secp256k1.publicKey(WARM))).build().toByteString()))
                        .setModeInfo(ModeInfo.newBuilder().setSingle(ModeInfo.Single.newBuilder().setMode(1))))
                .setFee(Fee.newBuilder().setGasLimit(650300).setGranter(COLD_ADDR)).build();
        assertEquals(AUTH, HEX.formatHex(auth.toByteArray()));
        assertEquals(650300, GasTable.required(exec.getMsgsList()));
        SignDoc doc = SignDoc.newBuilder().setBodyBytes(body.toByteString()).setAuthInfoBytes(auth.toByteString())
                .setChainId("gonka-mainnet").setAccountNumber(4242).build();
        assertEquals("0a8f02" + BODY + "128401" + AUTH + "1a0d676f6e6b612d6d61696e6e6574209221", HEX.formatHex(doc.toByteArray()));
        byte[] sig = Secp256k1.sign(WARM, doc.toByteArray());
        assertEquals(SIGNATURE, HEX.formatHex(sig));
        byte[] raw = TxRaw.newBuilder().setBodyBytes(body.toByteString()).setAuthInfoBytes(auth.toByteString())
                .addSignatures(ByteString.copyFrom(sig)).build().toByteArray();
        assertEquals(TX_RAW, Base64.getEncoder().encodeToString(raw));
        assertEquals("021495D876B2FD819B39022D01D37B28145BDB01B081C2C40097BD80CE9E9C8C", Tx.hash(raw));
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
