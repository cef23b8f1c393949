package io.gonkanode.chainsim.state;

import io.gonkanode.chainsim.proto.inference.ConfirmationPoCEvent;
import io.gonkanode.protocol.proto.inference.HardwareNode;
import io.gonkanode.protocol.proto.inference.MLNodeWeight;
import io.gonkanode.chainsim.proto.inference.Model;
import io.gonkanode.chainsim.proto.inference.Params;
import io.gonkanode.chainsim.proto.inference.PartialUpgrade;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inference module's store (what upstream's keeper holds), as plain maps. Not thread-safe:
 * {@link ChainState} guards it. Keys: participant = cold (account) address; stage = the PoC stage start height.
 */
public final class InferenceStore {

    /** A participant record: its address, where its proofs API is, its consensus key, and its status. */
    public record Participant(String address, String inferenceUrl, String validatorKey, int status) {
    }

    /** One model's commitment of a participant in a stage: the last (count, root) and the height it came in. */
    public record Commit(long count, byte[] root, long height) {
    }

    /** A vote of a validator on a participant's model in a stage: n_total (> 0, valid) or −1. */
    public record VoteKey(String participant, String model, String validator) {
    }

    public Params params;
    /** Epoch index → its PoC start height. */
    public final TreeMap<Long, Long> epochs = new TreeMap<>();
    public long effectiveEpoch;
    public final List<Model> models = new ArrayList<>();
    public String mlnodeVersion = "";
    public final List<PartialUpgrade> partialUpgrades = new ArrayList<>();
    public ConfirmationPoCEvent confirmationPoc;
    /** The preserved-nodes snapshot ({@code PreservedNodesSnapshot}), set through the control API; null = none. */
    public io.gonkanode.chainsim.proto.inference.PreservedNodesSnapshot preservedNodes;
    public final Map<String, Participant> participants = new LinkedHashMap<>();
    /** Epoch → participant → seed signature (hex). */
    public final Map<Long, Map<String, String>> seeds = new HashMap<>();
    /** Stage → participant → model → commit. */
    public final Map<Long, Map<String, Map<String, Commit>>> commits = new HashMap<>();
    /** Stage → participant → model → ML node weights. */
    public final Map<Long, Map<String, Map<String, List<MLNodeWeight>>>> distributions = new HashMap<>();
    /** Stage → vote → validated weight (the first vote counts). */
    public final Map<Long, Map<VoteKey, Long>> votes = new HashMap<>();
    /** Participant → its hardware nodes by local id. */
    public final Map<String, Map<String, HardwareNode>> hardware = new HashMap<>();
    /** Epoch → model ("" the root group) → its epoch group. */
    public final Map<Long, Map<String, io.gonkanode.chainsim.proto.inference.EpochGroupData>> epochGroups = new HashMap<>();
    /** Stage → the voting powers fixed at its validation start. */
    public final Map<Long, io.gonkanode.chainsim.proto.inference.PoCValidationSnapshot> validationSnapshots = new HashMap<>();
    /** Epoch → participant → model → voting power (its weight for that model in the epoch). */
    public final Map<Long, Map<String, Map<String, Long>>> votingPowers = new HashMap<>();
    /** Epoch → the ActiveParticipants record written at the end of its validation (protobuf bytes). */
    public final Map<Long, byte[]> activeParticipants = new HashMap<>();
    /** Participant → what it may claim for the epoch that finished last (one at a time, as upstream keeps it). */
    public final Map<String, io.gonkanode.chainsim.proto.inference.SettleAmount> settleAmounts = new HashMap<>();
    /** Epoch → participants that claimed, and the seed they claimed with. */
    public final Map<Long, Map<String, Long>> claims = new HashMap<>();

    public long latestEpoch() {
        return epochs.isEmpty() ? 0 : epochs.lastKey();
    }

    public long pocStartOf(long epoch) {
        return epochs.getOrDefault(epoch, 0L);
    }

    public Map<String, Commit> commitsOf(long stage, String participant) {
        return commits.getOrDefault(stage, Map.of()).getOrDefault(participant, Map.of());
    }
}
