package io.gonkanode.chainsim.state;

import java.time.Instant;
import java.util.List;

/**
 * A committed block: its height, hash (the {@code block_id.hash}), time, the hash of the block before it, its
 * transactions with their results, and the app hash of the state after the block before it (as CometBFT's
 * header carries it).
 */
public record Block(long height, byte[] hash, Instant time, byte[] lastBlockHash, List<byte[]> txs, List<TxResult> results,
                    byte[] appHash, byte[] dataHash) {
}
