package io.gonkanode.chainsim.query;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.gonkanode.chainsim.module.EpochModule;
import io.gonkanode.protocol.proto.cosmos.BaseAccount;
import io.gonkanode.protocol.proto.cosmos.PubKey;
import io.gonkanode.protocol.proto.cosmos.QueryAccountRequest;
import io.gonkanode.protocol.proto.cosmos.QueryAccountResponse;
import io.gonkanode.chainsim.proto.inference.Epoch;
import io.gonkanode.chainsim.proto.inference.HardwareNodes;
import io.gonkanode.chainsim.proto.inference.MLNodeVersion;
import io.gonkanode.chainsim.proto.inference.QueryEpochInfoResponse;
import io.gonkanode.chainsim.proto.inference.QueryGetCurrentEpochResponse;
import io.gonkanode.chainsim.proto.inference.QueryGetMLNodeVersionResponse;
import io.gonkanode.chainsim.proto.inference.QueryHardwareNodesRequest;
import io.gonkanode.chainsim.proto.inference.QueryHardwareNodesResponse;
import io.gonkanode.chainsim.proto.inference.QueryModelsAllResponse;
import io.gonkanode.chainsim.proto.inference.QueryParamsResponse;
import io.gonkanode.chainsim.state.ChainState;
import io.gonkanode.chainsim.state.InferenceStore;

import java.util.Map;

/**
 * The typed queries a host makes over {@code abci_query} (reads spec §7): protobuf request in, protobuf response
 * out, upstream's error codes. Every answer reads one committed height under the state's lock.
 */
public final class AbciQueries {

    /** A query handler: request bytes against the state → response message. */
    @FunctionalInterface
    interface Handler {
        Message answer(byte[] request, ChainState state) throws QueryError, InvalidProtocolBufferException;
    }

    private static final String INFERENCE = "/inference.inference.Query/";

    private static final Map<String, Handler> HANDLERS = Map.ofEntries(
            Map.entry(INFERENCE + "EpochInfo", (req, s) -> epochInfo(s)),
            Map.entry(INFERENCE + "Params", (req, s) -> QueryParamsResponse.newBuilder().setParams(s.inference().params).build()),
            Map.entry(INFERENCE + "GetCurrentEpoch", (req, s) -> QueryGetCurrentEpochResponse.newBuilder()
                    .setEpoch(s.inference().effectiveEpoch).build()),
            Map.entry(INFERENCE + "ModelsAll", (req, s) -> QueryModelsAllResponse.newBuilder().addAllModel(s.inference().models).build()),
            Map.entry(INFERENCE + "MLNodeVersion", (req, s) -> QueryGetMLNodeVersionResponse.newBuilder()
                    .setMlnodeVersion(MLNodeVersion.newBuilder().setCurrentVersion(s.inference().mlnodeVersion)).build()),
            Map.entry(INFERENCE + "HardwareNodes", AbciQueries::hardwareNodes),
            Map.entry(INFERENCE + "EpochGroupData", RoundQueries::epochGroupData),
            Map.entry(INFERENCE + "CurrentEpochGroupData", RoundQueries::currentEpochGroupData),
            Map.entry(INFERENCE + "Participant", RoundQueries::participant),
            Map.entry(INFERENCE + "AccountByAddress", RoundQueries::accountByAddress),
            Map.entry(INFERENCE + "GranteesByMessageType", RoundQueries::grantees),
            Map.entry(INFERENCE + "PoCV2StoreCommit", RoundQueries::storeCommit),
            Map.entry(INFERENCE + "MLNodeWeightDistribution", RoundQueries::weightDistribution),
            Map.entry(INFERENCE + "AllPoCV2StoreCommitsForStage", RoundQueries::allCommits),
            Map.entry(INFERENCE + "PoCValidationSnapshot", RoundQueries::validationSnapshot),
            Map.entry(INFERENCE + "ExcludedParticipants", RoundQueries::excluded),
            Map.entry(INFERENCE + "PreservedNodesSnapshot", RoundQueries::preservedNodes),
            Map.entry(INFERENCE + "PartialUpgradeAll", RoundQueries::partialUpgrades),
            Map.entry(INFERENCE + "SettleAmount", RoundQueries::settleAmount),
            Map.entry("/cosmos.auth.v1beta1.Query/Account", AbciQueries::account),
            Map.entry("/cosmos.upgrade.v1beta1.Query/CurrentPlan", (req, s) -> s.upgradePlan() == null
                    ? io.gonkanode.chainsim.proto.cosmos.QueryCurrentPlanResponse.getDefaultInstance()
                    : io.gonkanode.chainsim.proto.cosmos.QueryCurrentPlanResponse.newBuilder().setPlan(s.upgradePlan()).build()));

    private AbciQueries() {
    }

    /** The answer's bytes, at the state's latest height. */
    public static byte[] query(String path, byte[] request, ChainState state) throws QueryError {
        Handler h = HANDLERS.get(path);
        if (h == null) {
            throw QueryError.unknownPath(path);
        }
        try {
            return state.read(s -> {
                try {
                    return h.answer(request, s).toByteArray();
                } catch (QueryError | InvalidProtocolBufferException e) {
                    throw new Failed(e);
                }
            });
        } catch (Failed f) {
            if (f.getCause() instanceof QueryError q) {
                throw q;
            }
            throw new QueryError(2, "sdk", "failed to decode the request of " + path + ": " + f.getCause().getMessage() + ": tx parse error");
        }
    }

    static QueryEpochInfoResponse epochInfo(ChainState s) {
        InferenceStore inf = s.inference();
        long latest = inf.latestEpoch();
        QueryEpochInfoResponse.Builder b = QueryEpochInfoResponse.newBuilder().setBlockHeight(s.latestHeight()).setParams(inf.params)
                .setLatestEpoch(Epoch.newBuilder().setIndex(latest).setPocStartBlockHeight(inf.pocStartOf(latest)));
        if (EpochModule.confirmationActive(inf)) {
            b.setIsConfirmationPocActive(true).setActiveConfirmationPocEvent(inf.confirmationPoc);
        }
        return b.build();
    }

    static Message hardwareNodes(byte[] request, ChainState s) throws InvalidProtocolBufferException {
        String participant = QueryHardwareNodesRequest.parseFrom(request).getParticipant();
        return QueryHardwareNodesResponse.newBuilder().setNodes(HardwareNodes.newBuilder().setParticipant(participant)
                .addAllHardwareNodes(s.inference().hardware.getOrDefault(participant, Map.of()).values())).build();
    }

    static Message account(byte[] request, ChainState s) throws QueryError, InvalidProtocolBufferException {
        String address = QueryAccountRequest.parseFrom(request).getAddress();
        var account = s.accounts().get(address).orElseThrow(() -> QueryError.notFound("account " + address + " not found"));
        BaseAccount.Builder b = BaseAccount.newBuilder().setAddress(address).setAccountNumber(account.number).setSequence(account.sequence);
        if (account.publicKey != null) {
            b.setPubKey(Any.newBuilder().setTypeUrl("/cosmos.crypto.secp256k1.PubKey")
                    .setValue(PubKey.newBuilder().setKey(ByteString.copyFrom(account.publicKey)).build().toByteString()));
        }
        return QueryAccountResponse.newBuilder().setAccount(Any.newBuilder().setTypeUrl("/cosmos.auth.v1beta1.BaseAccount")
                .setValue(b.build().toByteString())).build();
    }

    /** Carries a checked failure out of the state reader. */
    private static final class Failed extends RuntimeException {
        Failed(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
