package io.gonkanode.collector.chain;

/**
 * Where the collector gets block heights and PoC stage block hashes from. The embedded implementation is a
 * local clock; a later one can follow a real Gonka chain's {@code /v1/epochs/latest}.
 */
public interface EpochClock {

    /** The current block height. */
    long height();

    /** Epoch arithmetic for this chain's parameters. */
    EpochMath math();

    /** The hash of a block, as CometBFT prints it: 64 uppercase hex characters. */
    String blockHash(long height);
}
