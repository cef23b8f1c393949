package io.gonkanode.chainsim.genesis;

import io.gonkanode.chainsim.epoch.EpochParams;
import io.gonkanode.chainsim.proto.inference.Decimal;
import io.gonkanode.chainsim.proto.inference.FeeParams;
import io.gonkanode.chainsim.proto.inference.Model;
import io.gonkanode.chainsim.proto.inference.Params;
import io.gonkanode.chainsim.proto.inference.PoCModelConfig;
import io.gonkanode.chainsim.proto.inference.PoCStatTestParams;
import io.gonkanode.chainsim.proto.inference.PocParams;
import io.gonkanode.chainsim.proto.inference.ValidationParams;

import java.util.List;

/**
 * The governance state chain-sim starts with: upstream's Qwen model (its v0.2.10 vLLM arguments, v0.2.13
 * validation threshold) and PoC configuration (seq_len 1024 and the stat test of v0.2.8, weight scale 0.449 of
 * v0.2.10, validation slots 0, vote threshold 5000 bps), PoC v2 on, zero minimum gas price.
 */
public final class Governance {

    public static final String QWEN = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    public static final List<String> QWEN_ARGS = List.of("--max-model-len", "240000", "--enable-auto-tool-choice",
            "--tool-call-parser", "hermes");

    private Governance() {
    }

    public static Model qwen() {
        return Model.newBuilder().setProposedBy("genesis").setId(QWEN).setUnitsOfComputePerToken(1000).setContextWindow(240000)
                .setQuantization("fp8").setHfRepo(QWEN).addAllModelArgs(QWEN_ARGS).setVRam(640).setThroughputPerNonce(1000)
                .setValidationThreshold(decimal(940, -3)).build();
    }

    public static Params params(EpochParams e) {
        return Params.newBuilder()
                .setEpochParams(io.gonkanode.chainsim.proto.inference.EpochParams.newBuilder().setEpochLength(e.epochLength())
                        .setEpochMultiplier(1).setEpochShift(e.epochShift()).setDefaultUnitOfComputePrice(100)
                        .setPocStageDuration(e.pocStageDuration()).setPocExchangeDuration(e.pocExchangeDuration())
                        .setPocValidationDelay(e.pocValidationDelay()).setPocValidationDuration(e.pocValidationDuration())
                        .setSetNewValidatorsDelay(e.setNewValidatorsDelay()).setInferenceValidationCutoff(e.inferenceValidationCutoff())
                        .setInferencePruningEpochThreshold(2).setInferencePruningMax(1000).setPocPruningMax(1000)
                        .setPocSlotAllocation(decimal(5, -1)).setConfirmationPocSafetyWindow(50))
                .setValidationParams(ValidationParams.newBuilder().setExpirationBlocks(20).setTimestampExpiration(60).setTimestampAdvance(30))
                .setPocParams(PocParams.newBuilder().setDefaultDifficulty(5).setValidationSampleSize(200).setPocDataPruningEpochThreshold(1)
                        .setPocV2Enabled(true).setConfirmationPocV2Enabled(true).setValidationSlots(0).setPocNormalizationEnabled(true)
                        .setPocStrongerRngEnabled(false).setValidationVoteThresholdBps(5000)
                        .addModels(PoCModelConfig.newBuilder().setModelId(QWEN).setSeqLen(1024)
                                .setStatTest(PoCStatTestParams.newBuilder().setDistThreshold(decimal(2, -1)).setPMismatch(decimal(1, -1))
                                        .setPValueThreshold(decimal(5, -2)))
                                .setWeightScaleFactor(decimal(449, -3))))
                .setFeeParams(FeeParams.newBuilder().setMinGasPriceNgonka(0))
                .build();
    }

    public static Decimal decimal(long value, int exponent) {
        return Decimal.newBuilder().setValue(value).setExponent(exponent).build();
    }

    /** {@code value × 10^exponent} as a double. */
    public static double toDouble(Decimal d) {
        return d.getValue() * Math.pow(10, d.getExponent());
    }
}
