package io.gonkanode.chainsim.genesis;

import io.gonkanode.protocol.crypto.Addresses;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.chainsim.epoch.EpochParams;
import io.gonkanode.chainsim.state.ChainState;
import io.gonkanode.chainsim.state.InferenceStore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Genesis: the governance state, epoch 0 effective from height 0, and the host under test registered the way
 * an operator registers with upstream's {@code grant-ml-ops-permissions}: its cold account, its warm account,
 * a GenericAuthorization from cold to warm for every message type of {@link #ML_OPS_PERMISSIONS} and a fee
 * allowance, both valid for a year, and its participant record.
 */
public final class Genesis {

    /** upstream's InferenceOperationKeyPerms (writes spec §1.4). */
    public static final List<String> ML_OPS_PERMISSIONS = List.of(
            "/inference.inference.MsgStartInference", "/inference.inference.MsgFinishInference",
            "/inference.inference.MsgClaimRewards", "/inference.inference.MsgValidation", "/inference.inference.MsgSubmitPocBatch",
            "/inference.inference.MsgSubmitPocValidationsV2", "/inference.inference.MsgPoCV2StoreCommit",
            "/inference.inference.MsgMLNodeWeightDistribution", "/inference.inference.MsgSubmitSeed",
            "/inference.inference.MsgBridgeExchange", "/inference.inference.MsgSubmitNewUnfundedParticipant",
            "/inference.inference.MsgSubmitHardwareDiff", "/inference.inference.MsgInvalidateInference",
            "/inference.inference.MsgRevalidateInference", "/inference.bls.MsgSubmitDealerPart",
            "/inference.bls.MsgSubmitVerificationVector", "/inference.bls.MsgRespondDealerComplaints",
            "/inference.bls.MsgRequestThresholdSignature", "/inference.bls.MsgSubmitPartialSignature",
            "/inference.bls.MsgSubmitGroupKeyValidationSignature");

    /** A host known to the chain: its cold key (the account), its warm key or address (the signer), its public URL. */
    public record Host(byte[] coldKey, Optional<byte[]> warmKey, String warmAddress, String inferenceUrl) {

        public String coldAddress() {
            return Addresses.of(coldKey);
        }
    }

    private Genesis() {
    }

    public static void apply(ChainState state, EpochParams epochParams, String seed, Instant time, List<Host> hosts) {
        InferenceStore inference = state.inference();
        inference.params = Governance.params(epochParams);
        inference.epochs.put(0L, 0L);
        inference.effectiveEpoch = 0;
        inference.models.add(Governance.qwen());
        Instant expiry = time.plus(Duration.ofDays(365));
        for (Host host : hosts) {
            register(state, host, seed, expiry);
        }
    }

    /** Creates the host's two accounts, the cold→warm grants and allowance, and its participant record. */
    public static void register(ChainState state, Host host, String seed, Instant expiry) {
        String cold = host.coldAddress();
        state.accounts().create(cold, host.coldKey());
        state.accounts().create(host.warmAddress(), host.warmKey().orElse(null));
        for (String type : ML_OPS_PERMISSIONS) {
            state.accounts().grant(cold, host.warmAddress(), type, expiry);
        }
        state.accounts().allow(cold, host.warmAddress(), expiry);
        state.inference().participants.put(cold, new InferenceStore.Participant(cold, host.inferenceUrl(),
                Base64.getEncoder().encodeToString(consensusKey(seed, cold)), 1));
    }

    /** A 32-byte stand-in for a participant's ed25519 consensus key, derived from the seed (nothing signs with it). */
    public static byte[] consensusKey(String seed, String label) {
        return Hashes.sha256((seed + ":consensus:" + label).getBytes(StandardCharsets.UTF_8));
    }

    /** A secp256k1 private key derived from the seed, for chain-sim's own accounts (peers). */
    public static byte[] privateKey(String seed, String label) {
        return Hashes.sha256((seed + ":key:" + label).getBytes(StandardCharsets.UTF_8));
    }

    /** A public key given as base64 or hex of 33 bytes. */
    public static byte[] parseKey(String text) {
        String t = text.trim();
        byte[] key;
        if (t.matches("(?i)[0-9a-f]{66}")) {
            key = HexFormat.of().parseHex(t);
        } else {
            try {
                key = Base64.getDecoder().decode(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a base64 or hex public key: " + t);
            }
        }
        if (key.length != 33 || (key[0] != 2 && key[0] != 3)) {
            throw new IllegalArgumentException("a compressed secp256k1 public key has 33 bytes starting 02 or 03, got " + key.length);
        }
        return key;
    }
}
