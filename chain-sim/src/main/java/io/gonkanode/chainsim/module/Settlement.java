package io.gonkanode.chainsim.module;

import io.gonkanode.chainsim.genesis.Governance;
import io.gonkanode.chainsim.proto.inference.ActiveParticipant;
import io.gonkanode.chainsim.proto.inference.ActiveParticipants;
import io.gonkanode.chainsim.proto.inference.EpochGroupData;
import io.gonkanode.chainsim.proto.inference.MLNodeInfo;
import io.gonkanode.protocol.proto.inference.MLNodeWeight;
import io.gonkanode.chainsim.proto.inference.Model;
import io.gonkanode.chainsim.proto.inference.ModelMLNodes;
import io.gonkanode.chainsim.proto.inference.ModelVotingPower;
import io.gonkanode.chainsim.proto.inference.ModelVotingPowers;
import io.gonkanode.chainsim.proto.inference.PoCModelConfig;
import io.gonkanode.chainsim.proto.inference.PoCValidationSnapshot;
import io.gonkanode.chainsim.proto.inference.RandomSeed;
import io.gonkanode.chainsim.proto.inference.SeedSignature;
import io.gonkanode.chainsim.proto.inference.ValidationWeight;
import io.gonkanode.chainsim.proto.inference.VotingPowerEntry;
import io.gonkanode.chainsim.state.InferenceStore;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chain's decision on a PoC round (writes spec §6.7, §3.2-3.4). Voting powers are fixed at validation
 * start: each participant's weight per model in the effective epoch, or 1 each for the participants of genesis
 * while no epoch has weights yet. At the end of validation a participant-model counts when the voting power of
 * its +1 votes reaches {@code validation_vote_threshold_bps} of the model's total power, the participant
 * submitted a seed for the epoch and a weight distribution for the model; its weight is the committed count
 * times the model's {@code weight_scale_factor}, truncated (no time normalisation, no guardian tie-break). At
 * set-new-validators the epoch that ended is settled: each of its active participants may claim its weight × 1,000
 * coins (a rate of chain-sim's own; upstream's tokenomics are not modelled).
 */
public final class Settlement implements RoundHooks {

    @Override
    public void pocStart(InferenceStore store, long epoch, long pocStart) {
        Map<String, EpochGroupData> groups = new LinkedHashMap<>();
        List<String> models = pocModels(store).stream().map(PoCModelConfig::getModelId).toList();
        groups.put("", EpochGroupData.newBuilder().setPocStartBlockHeight(pocStart).setEpochGroupId(epoch).setEpochIndex(epoch)
                .addAllSubGroupModels(models).setValidationParams(store.params.getValidationParams()).build());
        for (String model : models) {
            EpochGroupData.Builder b = EpochGroupData.newBuilder().setPocStartBlockHeight(pocStart).setEpochGroupId(epoch)
                    .setEpochIndex(epoch).setModelId(model).setValidationParams(store.params.getValidationParams());
            governanceModel(store, model).ifPresent(b::setModelSnapshot);
            groups.put(model, b.build());
        }
        store.epochGroups.put(epoch, groups);
    }

    @Override
    public void validationStart(InferenceStore store, long epoch, long height, byte[] appHash) {
        long stage = store.pocStartOf(epoch);
        PoCValidationSnapshot.Builder snapshot = PoCValidationSnapshot.newBuilder().setPocStageStartHeight(stage)
                .setSnapshotHeight(height).setAppHash(HexFormat.of().formatHex(appHash));
        long total = 0;
        for (PoCModelConfig model : pocModels(store)) {
            ModelVotingPowers.Builder powers = ModelVotingPowers.newBuilder().setModelId(model.getModelId());
            for (Map.Entry<String, Long> e : powers(store, model.getModelId()).entrySet()) {
                powers.addVotingPowers(VotingPowerEntry.newBuilder().setAddress(e.getKey()).setVotingPower(e.getValue()));
                total += e.getValue();
            }
            snapshot.addModelVotingPowers(powers);
        }
        store.validationSnapshots.put(stage, snapshot.setTotalNetworkWeight(total).build());
    }

    @Override
    public void validationEnd(InferenceStore store, long epoch, long height) {
        long stage = store.pocStartOf(epoch);
        PoCValidationSnapshot snapshot = store.validationSnapshots.get(stage);
        Map<String, Map<String, Long>> weights = new TreeMap<>();
        Map<String, Map<String, InferenceStore.Commit>> commits = store.commits.getOrDefault(stage, Map.of());
        for (Map.Entry<String, Map<String, InferenceStore.Commit>> p : commits.entrySet()) {
            String participant = p.getKey();
            if (!store.participants.containsKey(participant)
                    || !store.seeds.getOrDefault(epoch, Map.of()).containsKey(participant)) {
                continue; // no seed for the epoch: no PoC weight at all
            }
            for (Map.Entry<String, InferenceStore.Commit> c : p.getValue().entrySet()) {
                String model = c.getKey();
                boolean distributed = store.distributions.getOrDefault(stage, Map.of()).getOrDefault(participant, Map.of())
                        .containsKey(model);
                if (distributed && passes(store, snapshot, stage, participant, model)) {
                    long weight = (long) Math.floor(c.getValue().count() * weightScale(store, model));
                    if (weight > 0) {
                        weights.computeIfAbsent(participant, x -> new LinkedHashMap<>()).put(model, weight);
                    }
                }
            }
        }
        store.votingPowers.put(epoch, weights);
        writeActiveParticipants(store, epoch, stage, height, weights);
        writeEpochGroups(store, epoch, stage, weights);
    }

    /** Work coins per unit of weight a participant earns for an epoch it was active in (chain-sim's own rate). */
    static final long COINS_PER_WEIGHT = 1_000;

    @Override
    public void setNewValidators(InferenceStore store, long epoch, long height) {
        settle(store, epoch - 1);
        Map<String, EpochGroupData> groups = store.epochGroups.get(epoch);
        if (groups != null) {
            groups.replaceAll((model, g) -> g.toBuilder().setEffectiveBlockHeight(height).build());
        }
        Map<String, EpochGroupData> previous = store.epochGroups.get(epoch - 1);
        if (previous != null) {
            previous.replaceAll((model, g) -> g.toBuilder().setLastBlockHeight(height - 1).build());
        }
    }

    /** What the participants active in the epoch that just ended may claim: their weight at a fixed rate. */
    private static void settle(InferenceStore store, long finished) {
        Map<String, Map<String, Long>> weights = store.votingPowers.getOrDefault(finished, Map.of());
        weights.forEach((participant, models) -> {
            long weight = models.values().stream().mapToLong(Long::longValue).sum();
            String seed = store.seeds.getOrDefault(finished, Map.of()).getOrDefault(participant, "");
            store.settleAmounts.put(participant, io.gonkanode.chainsim.proto.inference.SettleAmount.newBuilder()
                    .setParticipant(participant).setWorkCoins(weight * COINS_PER_WEIGHT).setRewardCoins(weight * COINS_PER_WEIGHT)
                    .setEpochIndex(finished).setSeedSignature(seed).build());
        });
    }

    /** The +1 votes' power reaches the threshold of the model's total power fixed at validation start. */
    private static boolean passes(InferenceStore store, PoCValidationSnapshot snapshot, long stage, String participant, String model) {
        Map<String, Long> powers = new TreeMap<>();
        if (snapshot != null) {
            snapshot.getModelVotingPowersList().stream().filter(m -> m.getModelId().equals(model)).findFirst()
                    .ifPresent(m -> m.getVotingPowersList().forEach(v -> powers.put(v.getAddress(), v.getVotingPower())));
        }
        long total = powers.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return false;
        }
        long yes = 0;
        for (Map.Entry<InferenceStore.VoteKey, Long> v : store.votes.getOrDefault(stage, Map.of()).entrySet()) {
            if (v.getKey().participant().equals(participant) && v.getKey().model().equals(model) && v.getValue() > 0) {
                yes += powers.getOrDefault(v.getKey().validator(), 0L);
            }
        }
        long bps = store.params.getPocParams().getValidationVoteThresholdBps();
        return yes * 10_000 >= bps * total;
    }

    /** Voting power per participant for a model: its weight in the effective epoch, or 1 for everyone at the start. */
    static Map<String, Long> powers(InferenceStore store, String model) {
        Map<String, Long> out = new TreeMap<>();
        Map<String, Map<String, Long>> effective = store.votingPowers.get(store.effectiveEpoch);
        if (effective == null || effective.isEmpty()) {
            store.participants.keySet().forEach(p -> out.put(p, 1L));
            return out;
        }
        effective.forEach((participant, models) -> {
            long w = models.getOrDefault(model, 0L);
            if (w > 0) {
                out.put(participant, w);
            }
        });
        return out;
    }

    private static void writeActiveParticipants(InferenceStore store, long epoch, long stage, long height,
                                                Map<String, Map<String, Long>> weights) {
        ActiveParticipants.Builder ap = ActiveParticipants.newBuilder().setEpochGroupId(epoch).setPocStartBlockHeight(stage)
                .setEffectiveBlockHeight(height + 2).setCreatedAtBlockHeight(height).setEpochId(epoch);
        for (Map.Entry<String, Map<String, Long>> e : weights.entrySet()) {
            InferenceStore.Participant p = store.participants.get(e.getKey());
            ActiveParticipant.Builder a = ActiveParticipant.newBuilder().setIndex(p.address()).setValidatorKey(p.validatorKey())
                    .setWeight(e.getValue().values().stream().mapToLong(Long::longValue).sum()).setInferenceUrl(p.inferenceUrl())
                    .setSeed(RandomSeed.newBuilder().setParticipant(p.address()).setEpochIndex(epoch)
                            .setSignature(store.seeds.get(epoch).get(p.address())));
            for (Map.Entry<String, Long> m : e.getValue().entrySet()) {
                a.addModels(m.getKey());
                a.addMlNodes(ModelMLNodes.newBuilder().addAllMlNodes(nodes(store, stage, p.address(), m.getKey(), m.getValue())));
                a.addVotingPowers(ModelVotingPower.newBuilder().setModelId(m.getKey()).setVotingPower(m.getValue()));
            }
            ap.addParticipants(a);
        }
        store.activeParticipants.put(epoch, ap.build().toByteArray());
    }

    private static void writeEpochGroups(InferenceStore store, long epoch, long stage, Map<String, Map<String, Long>> weights) {
        Map<String, EpochGroupData> groups = store.epochGroups.computeIfAbsent(epoch, e -> new LinkedHashMap<>());
        groups.replaceAll((model, group) -> {
            EpochGroupData.Builder b = group.toBuilder().clearValidationWeights().clearMemberSeedSignatures();
            long total = 0;
            for (Map.Entry<String, Map<String, Long>> e : weights.entrySet()) {
                long w = model.isEmpty() ? e.getValue().values().stream().mapToLong(Long::longValue).sum()
                        : e.getValue().getOrDefault(model, 0L);
                if (w == 0) {
                    continue;
                }
                ValidationWeight.Builder vw = ValidationWeight.newBuilder().setMemberAddress(e.getKey()).setWeight(w)
                        .setConfirmationWeight(w).setVotingPower(w);
                e.getValue().forEach((m, mw) -> {
                    if (model.isEmpty() || model.equals(m)) {
                        vw.addAllMlNodes(nodes(store, stage, e.getKey(), m, mw));
                    }
                });
                b.addValidationWeights(vw);
                b.addMemberSeedSignatures(SeedSignature.newBuilder().setMemberAddress(e.getKey())
                        .setSignature(store.seeds.get(epoch).get(e.getKey())));
                total += w;
            }
            return b.setTotalWeight(total).build();
        });
    }

    /** The participant's ML nodes for a model, each with its share of the model's weight by its distributed count. */
    private static List<MLNodeInfo> nodes(InferenceStore store, long stage, String participant, String model, long weight) {
        List<MLNodeWeight> dist = store.distributions.getOrDefault(stage, Map.of()).getOrDefault(participant, Map.of())
                .getOrDefault(model, List.of());
        long count = dist.stream().mapToLong(w -> w.getWeight() & 0xffffffffL).sum();
        return dist.stream().map(w -> MLNodeInfo.newBuilder().setNodeId(w.getNodeId())
                .setPocWeight(count == 0 ? 0 : (w.getWeight() & 0xffffffffL) * weight / count).build()).toList();
    }

    static List<PoCModelConfig> pocModels(InferenceStore store) {
        return store.params.getPocParams().getModelsList();
    }

    static double weightScale(InferenceStore store, String model) {
        return pocModels(store).stream().filter(m -> m.getModelId().equals(model)).findFirst()
                .map(m -> Governance.toDouble(m.getWeightScaleFactor())).orElse(0.0);
    }

    static java.util.Optional<Model> governanceModel(InferenceStore store, String model) {
        return store.models.stream().filter(m -> m.getId().equals(model)).findFirst();
    }
}
