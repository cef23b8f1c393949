package io.gonkanode.chainsim.query;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.gonkanode.chainsim.proto.inference.EpochGroupData;
import io.gonkanode.chainsim.proto.inference.Grantee;
import io.gonkanode.chainsim.proto.inference.Participant;
import io.gonkanode.chainsim.proto.inference.ParticipantStatus;
import io.gonkanode.chainsim.proto.inference.PoCV2StoreCommitWithAddress;
import io.gonkanode.chainsim.proto.inference.QueryAccountByAddressRequest;
import io.gonkanode.chainsim.proto.inference.QueryAccountByAddressResponse;
import io.gonkanode.chainsim.proto.inference.QueryAllPartialUpgradeResponse;
import io.gonkanode.chainsim.proto.inference.QueryAllPoCV2StoreCommitsForStageRequest;
import io.gonkanode.chainsim.proto.inference.QueryAllPoCV2StoreCommitsForStageResponse;
import io.gonkanode.chainsim.proto.inference.QueryCurrentEpochGroupDataResponse;
import io.gonkanode.chainsim.proto.inference.QueryExcludedParticipantsResponse;
import io.gonkanode.chainsim.proto.inference.QueryGetEpochGroupDataRequest;
import io.gonkanode.chainsim.proto.inference.QueryGetEpochGroupDataResponse;
import io.gonkanode.chainsim.proto.inference.QueryGetParticipantRequest;
import io.gonkanode.chainsim.proto.inference.QueryGetParticipantResponse;
import io.gonkanode.chainsim.proto.inference.QueryGranteesByMessageTypeRequest;
import io.gonkanode.chainsim.proto.inference.QueryGranteesByMessageTypeResponse;
import io.gonkanode.chainsim.proto.inference.QueryMLNodeWeightDistributionRequest;
import io.gonkanode.chainsim.proto.inference.QueryMLNodeWeightDistributionResponse;
import io.gonkanode.chainsim.proto.inference.QueryPoCV2StoreCommitRequest;
import io.gonkanode.chainsim.proto.inference.QueryPoCV2StoreCommitResponse;
import io.gonkanode.chainsim.proto.inference.QueryPoCValidationSnapshotRequest;
import io.gonkanode.chainsim.proto.inference.QueryPoCValidationSnapshotResponse;
import io.gonkanode.chainsim.proto.inference.QueryPreservedNodesSnapshotResponse;
import io.gonkanode.chainsim.state.Accounts;
import io.gonkanode.chainsim.state.ChainState;
import io.gonkanode.chainsim.state.InferenceStore;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The queries about epoch groups, participants and PoC round records (reads spec §3.4-3.10). */
final class RoundQueries {

    private RoundQueries() {
    }

    static Message epochGroupData(byte[] request, ChainState s) throws QueryError, InvalidProtocolBufferException {
        QueryGetEpochGroupDataRequest r = QueryGetEpochGroupDataRequest.parseFrom(request);
        EpochGroupData g = s.inference().epochGroups.getOrDefault(r.getEpochIndex(), Map.of()).get(r.getModelId());
        if (g == null) {
            throw QueryError.notFound("epoch group data for epoch " + r.getEpochIndex() + " and model '" + r.getModelId() + "'");
        }
        return QueryGetEpochGroupDataResponse.newBuilder().setEpochGroupData(g).build();
    }

    static Message currentEpochGroupData(byte[] request, ChainState s) throws QueryError {
        EpochGroupData g = s.inference().epochGroups.getOrDefault(s.inference().effectiveEpoch, Map.of()).get("");
        if (g == null) {
            throw QueryError.notFound("current epoch group data");
        }
        return QueryCurrentEpochGroupDataResponse.newBuilder().setEpochGroupData(g).build();
    }

    static Message participant(byte[] request, ChainState s) throws QueryError, InvalidProtocolBufferException {
        String index = QueryGetParticipantRequest.parseFrom(request).getIndex();
        InferenceStore.Participant p = s.inference().participants.get(index);
        if (p == null) {
            throw QueryError.notFound("participant " + index);
        }
        long weight = s.inference().votingPowers.getOrDefault(s.inference().effectiveEpoch, Map.of()).getOrDefault(index, Map.of())
                .values().stream().mapToLong(Long::longValue).sum();
        return QueryGetParticipantResponse.newBuilder().setParticipant(Participant.newBuilder().setIndex(p.address())
                .setAddress(p.address()).setWeight((int) Math.min(Integer.MAX_VALUE, weight)).setInferenceUrl(p.inferenceUrl())
                .setStatus(ParticipantStatus.forNumber(p.status())).setValidatorKey(p.validatorKey())).build();
    }

    static Message accountByAddress(byte[] request, ChainState s) throws QueryError, InvalidProtocolBufferException {
        String address = QueryAccountByAddressRequest.parseFrom(request).getAddress();
        Accounts.Account a = s.accounts().get(address).orElseThrow(() -> QueryError.notFound("account " + address));
        return QueryAccountByAddressResponse.newBuilder().setPubkey(a.publicKey == null ? "" : Base64.getEncoder().encodeToString(a.publicKey))
                .setDenom("ngonka").build();
    }

    static Message grantees(byte[] request, ChainState s) throws QueryError, InvalidProtocolBufferException {
        QueryGranteesByMessageTypeRequest r = QueryGranteesByMessageTypeRequest.parseFrom(request);
        if (r.getGranterAddress().isEmpty() || r.getMessageTypeUrl().isEmpty()) {
            throw QueryError.invalid("granter_address and message_type_url are required");
        }
        QueryGranteesByMessageTypeResponse.Builder b = QueryGranteesByMessageTypeResponse.newBuilder();
        s.accounts().grantees(r.getGranterAddress(), r.getMessageTypeUrl(), s.blockTime()).forEach((address, a) ->
                b.addGrantees(Grantee.newBuilder().setAddress(address)
                        .setPubKey(a.publicKey == null ? "" : Base64.getEncoder().encodeToString(a.publicKey))));
        return b.build();
    }

    static Message storeCommit(byte[] request, ChainState s) throws InvalidProtocolBufferException {
        QueryPoCV2StoreCommitRequest r = QueryPoCV2StoreCommitRequest.parseFrom(request);
        InferenceStore.Commit c = s.inference().commitsOf(r.getPocStageStartBlockHeight(), r.getParticipantAddress()).get(r.getModelId());
        return c == null ? QueryPoCV2StoreCommitResponse.getDefaultInstance()
                : QueryPoCV2StoreCommitResponse.newBuilder().setCount((int) c.count()).setRootHash(ByteString.copyFrom(c.root()))
                .setFound(true).build();
    }

    static Message weightDistribution(byte[] request, ChainState s) throws InvalidProtocolBufferException {
        QueryMLNodeWeightDistributionRequest r = QueryMLNodeWeightDistributionRequest.parseFrom(request);
        var weights = s.inference().distributions.getOrDefault(r.getPocStageStartBlockHeight(), Map.of())
                .getOrDefault(r.getParticipantAddress(), Map.of()).get(r.getModelId());
        return weights == null ? QueryMLNodeWeightDistributionResponse.getDefaultInstance()
                : QueryMLNodeWeightDistributionResponse.newBuilder().addAllWeights(weights).setFound(true).build();
    }

    /** Every commit of the stage; participants whose account has no public key yet are left out, as the chain does. */
    static Message allCommits(byte[] request, ChainState s) throws InvalidProtocolBufferException {
        long stage = QueryAllPoCV2StoreCommitsForStageRequest.parseFrom(request).getPocStageStartBlockHeight();
        QueryAllPoCV2StoreCommitsForStageResponse.Builder b = QueryAllPoCV2StoreCommitsForStageResponse.newBuilder();
        s.inference().commits.getOrDefault(stage, Map.of()).forEach((participant, models) -> {
            byte[] key = s.accounts().get(participant).map(a -> a.publicKey).orElse(null);
            if (key == null) {
                return;
            }
            models.forEach((model, c) -> b.addCommits(PoCV2StoreCommitWithAddress.newBuilder().setParticipantAddress(participant)
                    .setCount((int) c.count()).setRootHash(ByteString.copyFrom(c.root())).setHexPubKey(HexFormat.of().formatHex(key))
                    .setModelId(model)));
        });
        return b.build();
    }

    static Message validationSnapshot(byte[] request, ChainState s) throws InvalidProtocolBufferException {
        long stage = QueryPoCValidationSnapshotRequest.parseFrom(request).getPocStageStartHeight();
        var snapshot = s.inference().validationSnapshots.get(stage);
        return snapshot == null ? QueryPoCValidationSnapshotResponse.getDefaultInstance()
                : QueryPoCValidationSnapshotResponse.newBuilder().setSnapshot(snapshot).setFound(true).build();
    }

    static Message settleAmount(byte[] request, ChainState s) throws QueryError, InvalidProtocolBufferException {
        String participant = io.gonkanode.chainsim.proto.inference.QueryGetSettleAmountRequest.parseFrom(request).getParticipant();
        var amount = s.inference().settleAmounts.get(participant);
        if (amount == null) {
            throw QueryError.notFound("settle amount of " + participant);
        }
        return io.gonkanode.chainsim.proto.inference.QueryGetSettleAmountResponse.newBuilder().setSettleAmount(amount).build();
    }

    static Message excluded(byte[] request, ChainState s) {
        return QueryExcludedParticipantsResponse.getDefaultInstance();
    }

    static Message preservedNodes(byte[] request, ChainState s) {
        var snapshot = s.inference().preservedNodes;
        return snapshot == null ? QueryPreservedNodesSnapshotResponse.getDefaultInstance()
                : QueryPreservedNodesSnapshotResponse.newBuilder().setSnapshot(snapshot).setFound(true).build();
    }

    static Message partialUpgrades(byte[] request, ChainState s) {
        return QueryAllPartialUpgradeResponse.newBuilder().addAllPartialUpgrade(List.copyOf(s.inference().partialUpgrades)).build();
    }
}
