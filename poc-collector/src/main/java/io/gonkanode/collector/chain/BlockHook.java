package io.gonkanode.collector.chain;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Work that belongs to a block and must happen exactly once: the follower runs every hook inside the transaction
 * that records the block as processed, so a crash either keeps both or neither, and a block replayed after a
 * restart or a dropped websocket runs its hooks then. Hooks only write to PostgreSQL (a transaction to send is
 * queued, not broadcast); anything slower belongs to a worker that reads what they wrote.
 */
public interface BlockHook {

    /** A processed block with its raw txs, the chain's epoch arithmetic and the highest height the node has reported. */
    record Block(long height, String hash, Instant time, EpochMath math, long latestHeight, java.util.List<byte[]> txs) {
    }

    void onBlock(Connection c, Block block) throws SQLException;
}
