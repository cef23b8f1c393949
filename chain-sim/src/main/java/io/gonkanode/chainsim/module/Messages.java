package io.gonkanode.chainsim.module;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gonkanode.protocol.crypto.Addresses;
import io.gonkanode.chainsim.epoch.EpochContext;
import io.gonkanode.protocol.proto.inference.HardwareNode;
import io.gonkanode.protocol.proto.inference.MLNodeDistributionEntry;
import io.gonkanode.protocol.proto.inference.MLNodeWeight;
import io.gonkanode.protocol.proto.inference.MsgClaimRewards;
import io.gonkanode.protocol.proto.inference.MsgMLNodeWeightDistribution;
import io.gonkanode.protocol.proto.inference.MsgPoCV2StoreCommit;
import io.gonkanode.protocol.proto.inference.MsgSubmitHardwareDiff;
import io.gonkanode.protocol.proto.inference.MsgSubmitPocValidationsV2;
import io.gonkanode.protocol.proto.inference.MsgSubmitSeed;
import io.gonkanode.protocol.proto.inference.PoCV2CommitEntry;
import io.gonkanode.protocol.proto.inference.PoCValidationEntryV2;
import io.gonkanode.chainsim.state.InferenceStore;
import io.gonkanode.chainsim.state.TxResult;
import io.gonkanode.chainsim.tx.TxRejected;
import io.gonkanode.protocol.tx.TypeUrls;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inference module's handlers for the messages a host sends (writes spec §3): each is checked against the
 * store and the height it would land in, and yields the change it makes. CheckTx only checks; the block runs
 * the check again (the state may have moved) and applies the change.
 */
public final class Messages {

    /** A checked message's effect on the store, and the event it emits. */
    public interface Effect {
        TxResult.Event apply();
    }

    private final InferenceStore store;
    private final long height;

    /** Handlers against {@code store} for a transaction landing at {@code height}. */
    public Messages(InferenceStore store, long height) {
        this.store = store;
        this.height = height;
    }

    public Effect check(Any message) throws TxRejected {
        try {
            return switch (message.getTypeUrl()) {
                case TypeUrls.SUBMIT_SEED -> seed(MsgSubmitSeed.parseFrom(message.getValue()));
                case TypeUrls.POC_V2_STORE_COMMIT -> commit(MsgPoCV2StoreCommit.parseFrom(message.getValue()));
                case TypeUrls.ML_NODE_WEIGHT_DISTRIBUTION -> distribution(MsgMLNodeWeightDistribution.parseFrom(message.getValue()));
                case TypeUrls.SUBMIT_POC_VALIDATIONS_V2 -> validations(MsgSubmitPocValidationsV2.parseFrom(message.getValue()));
                case TypeUrls.CLAIM_REWARDS -> claim(MsgClaimRewards.parseFrom(message.getValue()));
                case TypeUrls.SUBMIT_HARDWARE_DIFF -> hardware(MsgSubmitHardwareDiff.parseFrom(message.getValue()));
                default -> throw TxRejected.decode("unable to resolve type URL " + message.getTypeUrl());
            };
        } catch (InvalidProtocolBufferException e) {
            throw TxRejected.decode("malformed " + message.getTypeUrl() + ": " + e.getMessage());
        }
    }

    private Effect seed(MsgSubmitSeed m) throws TxRejected {
        requireParticipant(m.getCreator());
        long effective = store.effectiveEpoch;
        if (m.getEpochIndex() < effective || m.getEpochIndex() > effective + 1) {
            throw InferenceErrors.EPOCH_INDEX_OUT_OF_RANGE.wrap("epoch " + m.getEpochIndex() + ", current " + effective);
        }
        return () -> {
            store.seeds.computeIfAbsent(m.getEpochIndex(), e -> new HashMap<>()).put(m.getCreator(), m.getSignature());
            return event("submit_seed", "participant", m.getCreator(), "epoch_index", Long.toString(m.getEpochIndex()));
        };
    }

    private Effect commit(MsgPoCV2StoreCommit m) throws TxRejected {
        requirePocV2();
        if (m.getEntriesCount() == 0) {
            throw InferenceErrors.ILLEGAL_STATE.wrap("entries must not be empty");
        }
        long stage = m.getPocStageStartBlockHeight();
        Windows.requireCommitWindow(store, stage, height);
        Map<String, InferenceStore.Commit> existing = store.commitsOf(stage, m.getCreator());
        Set<String> seen = new HashSet<>();
        for (PoCV2CommitEntry e : m.getEntriesList()) {
            if (e.getCount() <= 0) {
                throw InferenceErrors.ILLEGAL_STATE.wrap("entry count must be greater than 0");
            }
            if (e.getRootHash().size() != 32) {
                throw InferenceErrors.ILLEGAL_STATE.wrap("root_hash must be 32 bytes, got " + e.getRootHash().size());
            }
            requireModel(e.getModelId());
            if (!seen.add(e.getModelId())) {
                throw InferenceErrors.ILLEGAL_STATE.wrap("duplicate model_id " + e.getModelId());
            }
            InferenceStore.Commit last = existing.get(e.getModelId());
            if (last != null && last.height() == height) {
                throw InferenceErrors.ILLEGAL_STATE.wrap("only one commit per block allowed");
            }
            if (last != null && e.getCount() <= last.count()) {
                throw InferenceErrors.ILLEGAL_STATE.wrap("count must increase: got " + e.getCount() + ", last recorded " + last.count());
            }
        }
        return () -> {
            Map<String, InferenceStore.Commit> mine = store.commits.computeIfAbsent(stage, s -> new HashMap<>())
                    .computeIfAbsent(m.getCreator(), c -> new LinkedHashMap<>());
            for (PoCV2CommitEntry e : m.getEntriesList()) {
                mine.put(e.getModelId(), new InferenceStore.Commit(e.getCount(), e.getRootHash().toByteArray(), height));
            }
            return event("poc_v2_store_commit", "participant", m.getCreator(), "stage", Long.toString(stage));
        };
    }

    private Effect distribution(MsgMLNodeWeightDistribution m) throws TxRejected {
        requirePocV2();
        if (m.getEntriesCount() == 0) {
            throw InferenceErrors.ILLEGAL_STATE.wrap("entries must not be empty");
        }
        long stage = m.getPocStageStartBlockHeight();
        Windows.requireDistributionWindow(store, stage, height);
        Map<String, InferenceStore.Commit> commits = store.commitsOf(stage, m.getCreator());
        for (MLNodeDistributionEntry e : m.getEntriesList()) {
            if (e.getWeightsCount() == 0) {
                throw InferenceErrors.ILLEGAL_STATE.wrap("entry weights must not be empty");
            }
            requireModel(e.getModelId());
            InferenceStore.Commit commit = commits.get(e.getModelId());
            if (commit == null) {
                throw InferenceErrors.ILLEGAL_STATE.wrap("no store commit found for this stage and model");
            }
            long sum = 0;
            for (MLNodeWeight w : e.getWeightsList()) {
                sum += w.getWeight() & 0xffffffffL;
            }
            if (sum != commit.count()) {
                throw InferenceErrors.ILLEGAL_STATE.wrap("weight sum " + sum + " does not match committed count " + commit.count());
            }
        }
        return () -> {
            Map<String, List<MLNodeWeight>> mine = store.distributions.computeIfAbsent(stage, s -> new HashMap<>())
                    .computeIfAbsent(m.getCreator(), c -> new LinkedHashMap<>());
            for (MLNodeDistributionEntry e : m.getEntriesList()) {
                mine.put(e.getModelId(), List.copyOf(e.getWeightsList()));
            }
            return event("ml_node_weight_distribution", "participant", m.getCreator(), "stage", Long.toString(stage));
        };
    }

    private Effect validations(MsgSubmitPocValidationsV2 m) throws TxRejected {
        requirePocV2();
        long stage = m.getPocStageStartBlockHeight();
        Windows.requireValidationWindow(store, stage, height);
        List<PoCValidationEntryV2> usable = new ArrayList<>();
        for (PoCValidationEntryV2 v : m.getValidationsList()) {
            if (!v.getModelId().isEmpty() && Addresses.isValid(v.getParticipantAddress())) {
                usable.add(v);
            }
        }
        return () -> {
            Map<InferenceStore.VoteKey, Long> votes = store.votes.computeIfAbsent(stage, s -> new LinkedHashMap<>());
            for (PoCValidationEntryV2 v : usable) {
                votes.putIfAbsent(new InferenceStore.VoteKey(v.getParticipantAddress(), v.getModelId(), m.getCreator()),
                        v.getValidatedWeight());
            }
            return event("poc_validations_v2", "validator", m.getCreator(), "stage", Long.toString(stage),
                    "count", Integer.toString(usable.size()));
        };
    }

    /** Claim rate limit: blocks between two attempts of a participant (writes spec §7.3). */
    static final long CLAIM_INTERVAL = 30;

    /**
     * A claim pays the participant's settle amount for the epoch just finished. Request-level problems (not the epoch
     * just finished, nothing to claim, rate limited) are answered with code 0 and a result text, as upstream does.
     */
    private Effect claim(MsgClaimRewards m) throws TxRejected {
        requireParticipant(m.getCreator());
        io.gonkanode.chainsim.proto.inference.SettleAmount due = store.settleAmounts.get(m.getCreator());
        String refusal = store.effectiveEpoch != m.getEpochIndex() + 1 ? "Claim is not for the epoch just finished"
                : due == null || due.getEpochIndex() != m.getEpochIndex() ? "No settle amount found"
                : due.getLastClaimAttempt() > 0 && height - due.getLastClaimAttempt() < CLAIM_INTERVAL ? "Claim rate limited"
                : due.getRewardCoins() + due.getWorkCoins() == 0 ? "Nothing to claim" : null;
        return () -> {
            if (refusal == null) {
                store.claims.computeIfAbsent(m.getEpochIndex(), e -> new HashMap<>()).putIfAbsent(m.getCreator(), m.getSeed());
                store.settleAmounts.remove(m.getCreator());
            } else if (due != null) {
                store.settleAmounts.put(m.getCreator(), due.toBuilder().setLastClaimAttempt(height).build());
            }
            return event("claim_rewards", "participant", m.getCreator(), "epoch_index", Long.toString(m.getEpochIndex()),
                    "result", refusal == null ? "Rewards claimed" : refusal,
                    "amount", refusal == null ? Long.toString(due.getRewardCoins() + due.getWorkCoins()) : "0");
        };
    }

    private Effect hardware(MsgSubmitHardwareDiff m) throws TxRejected {
        requireParticipant(m.getCreator());
        Set<String> ids = new HashSet<>();
        for (HardwareNode n : m.getNewOrModifiedList()) {
            if (!ids.add(n.getLocalId())) {
                throw InferenceErrors.ILLEGAL_STATE.wrap("duplicate local_id " + n.getLocalId());
            }
            for (String model : n.getModelsList()) {
                requireModel(model);
            }
        }
        return () -> {
            Map<String, HardwareNode> nodes = store.hardware.computeIfAbsent(m.getCreator(), c -> new LinkedHashMap<>());
            m.getRemovedList().forEach(n -> nodes.remove(n.getLocalId()));
            m.getNewOrModifiedList().forEach(n -> nodes.put(n.getLocalId(), n));
            return event("submit_hardware_diff", "participant", m.getCreator(), "nodes", Integer.toString(nodes.size()));
        };
    }

    private void requireParticipant(String creator) throws TxRejected {
        if (!store.participants.containsKey(creator)) {
            throw InferenceErrors.INVALID_PERMISSION.wrap(creator + " is not a participant");
        }
    }

    private void requirePocV2() throws TxRejected {
        if (!store.params.getPocParams().getPocV2Enabled()) {
            throw InferenceErrors.NOT_SUPPORTED.wrap("V2 disabled when poc_v2_enabled=false");
        }
    }

    private void requireModel(String model) throws TxRejected {
        if (model.isEmpty()) {
            throw InferenceErrors.ILLEGAL_STATE.wrap("model_id must not be empty");
        }
        if (store.models.stream().noneMatch(m -> m.getId().equals(model))) {
            throw InferenceErrors.INVALID_MODEL.wrap("model_id \"" + model + "\" is not a governance model");
        }
    }

    static TxResult.Event event(String type, String... keyValues) {
        List<Map.Entry<String, String>> attributes = new ArrayList<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            attributes.add(Map.entry(keyValues[i], keyValues[i + 1]));
        }
        return new TxResult.Event("inference." + type, attributes);
    }

    /** The upcoming epoch's stage table, used by the windows. */
    static EpochContext upcoming(InferenceStore store) {
        long upcoming = store.effectiveEpoch + 1;
        return store.epochs.containsKey(upcoming) ? new EpochContext(upcoming, store.pocStartOf(upcoming), EpochModule.params(store))
                : null;
    }
}
