package io.gonkanode.collector.chain;

/**
 * Where the collector gets block heights, the epoch arithmetic and PoC stage block hashes from: the chain it follows
 * ({@link ChainEpochClock}, on {@code DAPI_CHAIN_NODE__URL}); tests set their own.
 */
public interface EpochClock {

    /** The current block height. */
    long height();

    /** Epoch arithmetic for this chain's parameters. */
    EpochMath math();

    /** The hash of a block, as CometBFT prints it: 64 uppercase hex characters. */
    String blockHash(long height);

    /** Why the round's work should wait now (the chain node catching up, stale or unreachable); empty when it need not. */
    default java.util.Optional<String> paused() {
        return java.util.Optional.empty();
    }

    /** The chain's active confirmation PoC event, if any. */
    default java.util.Optional<ConfirmationPoc> confirmationPoc() {
        return java.util.Optional.empty();
    }
}
