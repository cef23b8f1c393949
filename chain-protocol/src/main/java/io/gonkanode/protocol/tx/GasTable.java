package io.gonkanode.protocol.tx;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gonkanode.protocol.proto.inference.MLNodeDistributionEntry;
import io.gonkanode.protocol.proto.inference.MsgMLNodeWeightDistribution;
import io.gonkanode.protocol.proto.inference.MsgPoCV2StoreCommit;
import io.gonkanode.protocol.proto.inference.PoCV2CommitEntry;

import java.util.List;
import java.util.Set;

/**
 * Gas as the chain charges a host's messages here: the per-message estimates of the writes spec §2.4 plus the
 * 50,000 overhead, which is what upstream's client sends as its gas limit. A limit below that runs out of gas.
 */
public final class GasTable {

    public static final long TX_OVERHEAD = 50_000;
    public static final long MAX_GAS = 1_000_000_000L;

    /** Messages the chain's fee bypass exempts ("network duties"); MsgPoCV2StoreCommit is deliberately not one. */
    public static final Set<String> DUTIES = Set.of(TypeUrls.SUBMIT_POC_VALIDATIONS_V2, TypeUrls.ML_NODE_WEIGHT_DISTRIBUTION,
            TypeUrls.SUBMIT_SEED, TypeUrls.SUBMIT_HARDWARE_DIFF, TypeUrls.CLAIM_REWARDS);

    private GasTable() {
    }

    public static long required(List<Any> inner) {
        return required(inner, 0);
    }

    /** The gas limit of a tx's {@code attempt}-th try (0 first): doubled per retry, at most {@link #MAX_GAS}. */
    public static long required(List<Any> inner, int attempt) {
        long gas = TX_OVERHEAD;
        for (Any m : inner) {
            gas += of(m);
        }
        for (int i = 0; i < attempt && gas < MAX_GAS; i++) {
            gas *= 2;
        }
        return Math.min(gas, MAX_GAS);
    }

    static long of(Any m) {
        try {
            return switch (m.getTypeUrl()) {
                case TypeUrls.POC_V2_STORE_COMMIT -> {
                    long count = 0;
                    for (PoCV2CommitEntry e : MsgPoCV2StoreCommit.parseFrom(m.getValue()).getEntriesList()) {
                        count += e.getCount();
                    }
                    yield 600_000 + 150 * count;
                }
                case TypeUrls.ML_NODE_WEIGHT_DISTRIBUTION -> {
                    long weights = 0;
                    for (MLNodeDistributionEntry e : MsgMLNodeWeightDistribution.parseFrom(m.getValue()).getEntriesList()) {
                        weights += e.getWeightsCount();
                    }
                    yield 100_000 + 50_000 * weights;
                }
                case TypeUrls.SUBMIT_POC_VALIDATIONS_V2 -> 250_000;
                case TypeUrls.SUBMIT_HARDWARE_DIFF -> 500_000;
                case TypeUrls.CLAIM_REWARDS -> 700_000;
                case TypeUrls.SUBMIT_SEED -> 80_000;
                default -> 500_000;
            };
        } catch (InvalidProtocolBufferException e) {
            return 500_000;
        }
    }
}
