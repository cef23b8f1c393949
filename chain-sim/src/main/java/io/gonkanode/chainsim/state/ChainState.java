package io.gonkanode.chainsim.state;

import io.gonkanode.chainsim.tx.Ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The whole chain in memory: blocks, the auth/authz/feegrant stores, the inference module's store and the
 * index of included transactions. One lock guards it all: the block producer writes under it, queries and
 * CheckTx read under it, so a query always sees one committed height.
 */
public final class ChainState implements Ledger {

    /** Where an included transaction sits. */
    public record TxLocation(long height, int index) {
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String chainId;
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, TxLocation> txIndex = new HashMap<>();
    private final Accounts accounts = new Accounts();
    private final InferenceStore inference = new InferenceStore();
    /** The upgrade module's plan: a full (binary) upgrade at its height, where the chain halts; null when none. */
    private io.gonkanode.chainsim.proto.cosmos.Plan upgradePlan;

    public ChainState(String chainId) {
        this.chainId = chainId;
    }

    public <T> T read(Function<ChainState, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(this);
        } finally {
            lock.readLock().unlock();
        }
    }

    public void write(Consumer<ChainState> writer) {
        lock.writeLock().lock();
        try {
            writer.accept(this);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Accounts accounts() {
        return accounts;
    }

    public InferenceStore inference() {
        return inference;
    }

    public io.gonkanode.chainsim.proto.cosmos.Plan upgradePlan() {
        return upgradePlan;
    }

    public void upgradePlan(io.gonkanode.chainsim.proto.cosmos.Plan plan) {
        this.upgradePlan = plan;
    }

    /** Appends a committed block and indexes its transactions. */
    public void commit(Block block, List<String> txHashes) {
        if (!blocks.isEmpty() && block.height() != latestHeight() + 1) {
            throw new IllegalStateException("block " + block.height() + " after " + latestHeight());
        }
        blocks.add(block);
        for (int i = 0; i < txHashes.size(); i++) {
            txIndex.put(txHashes.get(i), new TxLocation(block.height(), i));
        }
    }

    public long latestHeight() {
        return blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).height();
    }

    public long earliestHeight() {
        return blocks.isEmpty() ? 0 : blocks.get(0).height();
    }

    public Optional<Block> block(long height) {
        if (blocks.isEmpty() || height < earliestHeight() || height > latestHeight()) {
            return Optional.empty();
        }
        return Optional.of(blocks.get((int) (height - earliestHeight())));
    }

    public Optional<Block> latest() {
        return blocks.isEmpty() ? Optional.empty() : Optional.of(blocks.get(blocks.size() - 1));
    }

    public Optional<TxLocation> tx(String hashUpperHex) {
        return Optional.ofNullable(txIndex.get(hashUpperHex));
    }

    // --- Ledger: what CheckTx reads ---

    @Override
    public String chainId() {
        return chainId;
    }

    @Override
    public long height() {
        return latestHeight() + 1;
    }

    @Override
    public Instant blockTime() {
        return latest().map(Block::time).orElse(Instant.EPOCH);
    }

    @Override
    public OptionalLong accountNumber(String address) {
        return accounts.number(address);
    }

    @Override
    public long sequence(String address) {
        return accounts.get(address).map(a -> a.sequence).orElse(0L);
    }

    @Override
    public boolean granted(String granter, String grantee, String msgTypeUrl) {
        return accounts.granted(granter, grantee, msgTypeUrl, blockTime());
    }

    @Override
    public boolean feeAllowance(String granter, String grantee) {
        return accounts.allowance(granter, grantee, blockTime());
    }

    @Override
    public boolean unorderedSeen(String signer, Instant timeout) {
        return accounts.unorderedSeen(signer, timeout);
    }

    @Override
    public long minGasPriceNgonka() {
        return inference.params == null ? 0 : inference.params.getFeeParams().getMinGasPriceNgonka();
    }
}
