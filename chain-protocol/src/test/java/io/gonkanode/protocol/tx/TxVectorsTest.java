package io.gonkanode.protocol.tx;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.proto.cosmos.TxRaw;
import io.gonkanode.protocol.proto.inference.MsgClaimRewards;
import io.gonkanode.protocol.proto.inference.MsgPoCV2StoreCommit;
import io.gonkanode.protocol.proto.inference.MsgSubmitPocValidationsV2;
import io.gonkanode.protocol.proto.inference.MsgSubmitSeed;
import io.gonkanode.protocol.proto.inference.PoCV2CommitEntry;
import io.gonkanode.protocol.proto.inference.PoCValidationEntryV2;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes spec §10.4 and §10.5: the signed commit tx byte for byte, the other inner messages, the seed. */
class TxVectorsTest {

    static final HexFormat HEX = HexFormat.of();
    static final SigningKey WARM = SigningKey.of(Hashes.sha256("gonka-java-test-warm-key".getBytes(StandardCharsets.US_ASCII)));
    static final String COLD = "gonka16wrtv3esfd6m96l7gdv92a70jq7vj4l04x7dkw";
    static final String COLD_HEX = HEX.formatHex(COLD.getBytes(StandardCharsets.US_ASCII));
    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final String MODEL_HEX = HEX.formatHex(MODEL.getBytes(StandardCharsets.US_ASCII));
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

    static TxEnvelope.Params vectorParams(int attempt) {
        return new TxEnvelope.Params(WARM, COLD, "gonka-mainnet", 4242, Instant.ofEpochSecond(1760000060, 123), attempt, 0);
    }

    static Any commit() {
        return TxEnvelope.any(TypeUrls.POC_V2_STORE_COMMIT, MsgPoCV2StoreCommit.newBuilder().setCreator(COLD)
                .setPocStageStartBlockHeight(1234560)
                .addEntries(PoCV2CommitEntry.newBuilder().setModelId(MODEL).setCount(2).setRootHash(ByteString.fromHex(ROOT))).build());
    }

    @Test
    void theCommitTxIsSignedByteForByte() throws Exception {
        assertEquals(INNER, HEX.formatHex(commit().getValue().toByteArray()));
        byte[] raw = TxEnvelope.sign(List.of(commit()), vectorParams(0));
        TxRaw tx = TxRaw.parseFrom(raw);
        assertEquals(BODY, HEX.formatHex(tx.getBodyBytes().toByteArray()));
        assertEquals(AUTH, HEX.formatHex(tx.getAuthInfoBytes().toByteArray()));
        assertEquals(SIGNATURE, HEX.formatHex(tx.getSignatures(0).toByteArray()));
        assertEquals(TX_RAW, Base64.getEncoder().encodeToString(raw));
        assertEquals("021495D876B2FD819B39022D01D37B28145BDB01B081C2C40097BD80CE9E9C8C", TxEnvelope.hash(raw));
    }

    @Test
    void gasIsTheTableEstimateDoubledPerRetryUpToTheCap() {
        assertEquals(650_300, GasTable.required(List.of(commit())));
        assertEquals(1_300_600, GasTable.required(List.of(commit()), 1));
        assertEquals(GasTable.MAX_GAS, GasTable.required(List.of(commit()), 40));
        assertFalse(TX_RAW.equals(Base64.getEncoder().encodeToString(TxEnvelope.sign(List.of(commit()), vectorParams(1)))),
                "a retry signs a different gas limit");
    }

    @Test
    void aPriceAboveZeroPaysGasTimesPriceInNgonka() throws Exception {
        byte[] raw = TxEnvelope.sign(List.of(commit()), new TxEnvelope.Params(WARM, COLD, "gonka-mainnet", 4242,
                Instant.ofEpochSecond(1760000060, 123), 0, 3));
        var auth = io.gonkanode.protocol.proto.cosmos.AuthInfo.parseFrom(TxRaw.parseFrom(raw).getAuthInfoBytes());
        assertEquals("ngonka", auth.getFee().getAmount(0).getDenom());
        assertEquals(Long.toString(650_300L * 3), auth.getFee().getAmount(0).getAmount());
        assertEquals(COLD, auth.getFee().getGranter());
    }

    @Test
    void aWarmKeyThatIsTheAccountSignsWithoutMsgExecOrGranter() throws Exception {
        byte[] raw = TxEnvelope.sign(List.of(commit()), new TxEnvelope.Params(WARM, WARM.address(), "gonka-mainnet", 4242,
                Instant.ofEpochSecond(1760000060, 123), 0, 0));
        var body = io.gonkanode.protocol.proto.cosmos.TxBody.parseFrom(TxRaw.parseFrom(raw).getBodyBytes());
        assertEquals(TypeUrls.POC_V2_STORE_COMMIT, body.getMessages(0).getTypeUrl());
        var auth = io.gonkanode.protocol.proto.cosmos.AuthInfo.parseFrom(TxRaw.parseFrom(raw).getAuthInfoBytes());
        assertTrue(auth.getFee().getGranter().isEmpty());
    }

    @Test
    void theOtherInnerMessagesOfSection10Point4() {
        String seedSig = "6a93f3452a9f3d97d2574722164f4046d9d2904e5cd38633e62452a7d14e191b"
                + "723ea44b7306d08bb45b824e81f53faf3aed85c4c834a014a48cb2d3b6e21b85";
        assertEquals("0a2c" + COLD_HEX + "102a1a8001" + HEX.formatHex(seedSig.getBytes(StandardCharsets.US_ASCII)),
                HEX.formatHex(MsgSubmitSeed.newBuilder().setCreator(COLD).setEpochIndex(42).setSignature(seedSig).build().toByteArray()));
        assertEquals("0a2c" + COLD_HEX + "10d98fe9b7cd81cf9522182a",
                HEX.formatHex(MsgClaimRewards.newBuilder().setCreator(COLD).setSeed(2462127647132108761L).setEpochIndex(42).build()
                        .toByteArray()));
        String honest = "gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw";
        String warm = "gonka1uthn3cr5nq3y5m8aytaz5ssvrgnfwnvm6avqvr";
        MsgSubmitPocValidationsV2 votes = MsgSubmitPocValidationsV2.newBuilder().setCreator(COLD).setPocStageStartBlockHeight(1234560)
                .addValidations(PoCValidationEntryV2.newBuilder().setParticipantAddress(honest).setValidatedWeight(200).setModelId(MODEL))
                .addValidations(PoCValidationEntryV2.newBuilder().setParticipantAddress(warm).setValidatedWeight(-1).setModelId(MODEL))
                .build();
        assertEquals("0a2c" + COLD_HEX + "1080ad4b1a590a2c" + HEX.formatHex(honest.getBytes(StandardCharsets.US_ASCII)) + "10c8011a26"
                        + MODEL_HEX + "1a610a2c" + HEX.formatHex(warm.getBytes(StandardCharsets.US_ASCII)) + "10ffffffffffffffffff011a26"
                        + MODEL_HEX,
                HEX.formatHex(votes.toByteArray()));
    }

    @Test
    void theSeedOfSection10Point5() {
        Seeds.Seed seed = Seeds.derive(WARM, 42);
        assertEquals(2462127647132108761L, seed.value());
        assertEquals("6a93f3452a9f3d97d2574722164f4046d9d2904e5cd38633e62452a7d14e191b"
                + "723ea44b7306d08bb45b824e81f53faf3aed85c4c834a014a48cb2d3b6e21b85", seed.signatureHex());
        assertEquals(seed, Seeds.derive(WARM, 42), "derived again, the same seed");
    }

    @Test
    void aSigningKeyNeverPrintsItsPrivateHalf() {
        assertEquals("SigningKey[gonka1uthn3cr5nq3y5m8aytaz5ssvrgnfwnvm6avqvr]", WARM.toString());
        assertEquals("02c04e9d2a212133c2509a21b6033e1f4d7030816bd1f1ecc478c3110684823c47", WARM.publicKeyHex());
    }
}
