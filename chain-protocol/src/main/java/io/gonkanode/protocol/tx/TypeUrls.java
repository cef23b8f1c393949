package io.gonkanode.protocol.tx;

/** The type URLs of the messages a host sends, and of the envelope around them. */
public final class TypeUrls {

    public static final String MSG_EXEC = "/cosmos.authz.v1beta1.MsgExec";
    public static final String SUBMIT_SEED = "/inference.inference.MsgSubmitSeed";
    public static final String POC_V2_STORE_COMMIT = "/inference.inference.MsgPoCV2StoreCommit";
    public static final String ML_NODE_WEIGHT_DISTRIBUTION = "/inference.inference.MsgMLNodeWeightDistribution";
    public static final String SUBMIT_POC_VALIDATIONS_V2 = "/inference.inference.MsgSubmitPocValidationsV2";
    public static final String CLAIM_REWARDS = "/inference.inference.MsgClaimRewards";
    public static final String SUBMIT_HARDWARE_DIFF = "/inference.inference.MsgSubmitHardwareDiff";

    private TypeUrls() {
    }
}
