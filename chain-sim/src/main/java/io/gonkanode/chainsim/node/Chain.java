package io.gonkanode.chainsim.node;

import com.google.protobuf.Any;
import io.gonkanode.chainsim.config.ChainSimConfig;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.chainsim.epoch.EpochParams;
import io.gonkanode.chainsim.genesis.Genesis;
import io.gonkanode.chainsim.module.EpochModule;
import io.gonkanode.chainsim.module.Messages;
import io.gonkanode.chainsim.module.Settlement;
import io.gonkanode.chainsim.state.Block;
import io.gonkanode.chainsim.state.ChainState;
import io.gonkanode.chainsim.state.TxResult;
import io.gonkanode.chainsim.tx.Tx;
import io.gonkanode.chainsim.tx.TxDecoder;
import io.gonkanode.chainsim.tx.TxRejected;
import io.gonkanode.chainsim.tx.TxVerifier;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The chain node: genesis from the configuration, CheckTx for {@code broadcast_tx_sync}, and block production
 * (take the mempool, run every tx's ante checks and messages, end-of-block epoch work, commit, tell the
 * listeners). Blocks come from {@link BlockLoop}; tests may call {@link #produceBlock()} themselves.
 */
@ApplicationScoped
public class Chain {

    /** The answer of CheckTx. */
    public record CheckTxResult(String hash, int code, String codespace, String log, long gasWanted) {
    }

    private static final int MAX_TXS_PER_BLOCK = 10_000;

    private final ChainSimConfig config;
    private final Mempool mempool;
    private final Faults faults;
    private final TxLog log;
    private final ChainState state;
    private final EpochModule epochs;
    private final List<Consumer<Block>> listeners = new CopyOnWriteArrayList<>();

    public Chain(ChainSimConfig config, Mempool mempool, Faults faults, TxLog log) {
        this.config = config;
        this.mempool = mempool;
        this.faults = faults;
        this.log = log;
        this.state = new ChainState(config.id());
        this.epochs = new EpochModule(new Settlement());
        EpochParams params = "mainnet".equalsIgnoreCase(config.epoch()) ? EpochParams.mainnet() : EpochParams.fast();
        List<Genesis.Host> hosts = Hosts.fromConfig(config.host());
        state.write(s -> Genesis.apply(s, params, config.seed(), Instant.now(), hosts));
        hosts.forEach(h -> Log.infof("host under test: account %s, signer %s, inference_url %s", h.coldAddress(), h.warmAddress(),
                h.inferenceUrl()));
    }

    public ChainState state() {
        return state;
    }

    public String seed() {
        return config.seed();
    }

    /** Called with every committed block, in order, on the block loop's thread. */
    public void onBlock(Consumer<Block> listener) {
        listeners.add(listener);
    }

    /** CheckTx: decode, the ante checks and the message rules against the latest state; admitted txs wait in the mempool. */
    public CheckTxResult checkTx(byte[] raw) {
        CheckTxResult r = check(raw);
        if (r.code() != 0) {
            Tx tx = decodeQuietly(raw);
            log.record(new TxLog.Entry(r.hash(), Instant.now(), 0, r.code(), r.codespace(), r.log(),
                    tx == null ? "" : tx.signerAddress(), types(tx), messagesJson(tx)));
        }
        return r;
    }

    private CheckTxResult check(byte[] raw) {
        String hash = Tx.hash(raw);
        Faults.Rejection forced = faults.takeRejection();
        if (forced != null) {
            return new CheckTxResult(hash, forced.code(), forced.codespace(), forced.log(), 0);
        }
        if (mempool.contains(hash) || state.read(s -> s.tx(hash).isPresent())) {
            TxRejected dup = TxRejected.inMempoolCache();
            return new CheckTxResult(hash, dup.code(), dup.codespace(), dup.log(), 0);
        }
        if (mempool.full()) {
            return new CheckTxResult(hash, 20, "sdk", "mempool is full", 0);
        }
        try {
            Tx tx = TxDecoder.decode(raw);
            long gas = state.read(s -> {
                try {
                    TxVerifier.Checked checked = TxVerifier.check(tx, s);
                    Messages messages = new Messages(s.inference(), s.height());
                    for (Any m : checked.messages()) {
                        messages.check(m);
                    }
                    return checked.gasWanted();
                } catch (TxRejected e) {
                    throw new Rejected(e);
                }
            });
            mempool.add(tx);
            return new CheckTxResult(hash, 0, "", "", gas);
        } catch (TxRejected e) {
            return new CheckTxResult(hash, e.code(), e.codespace(), e.log(), 0);
        } catch (Rejected e) {
            return new CheckTxResult(hash, e.rejected.code(), e.rejected.codespace(), e.rejected.log(), 0);
        }
    }

    /**
     * Why the chain cannot make its next block: an upgrade plan at that height (a real node halts there with
     * "UPGRADE NEEDED" until the new binary runs; here clearing the plan resumes it). Empty when it can.
     */
    public java.util.Optional<String> halted() {
        return state.read(s -> {
            var plan = s.upgradePlan();
            return plan != null && s.latestHeight() + 1 >= plan.getHeight()
                    ? java.util.Optional.of("UPGRADE \"" + plan.getName() + "\" NEEDED at height: " + plan.getHeight() + ": " + plan.getInfo())
                    : java.util.Optional.<String>empty();
        });
    }

    /** Produces and commits the next block; refused while {@link #halted()}. */
    public Block produceBlock() {
        halted().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        List<Tx> txs = mempool.take(MAX_TXS_PER_BLOCK);
        Block[] made = new Block[1];
        state.write(s -> made[0] = build(s, txs));
        for (Consumer<Block> listener : listeners) {
            try {
                listener.accept(made[0]);
            } catch (RuntimeException e) {
                Log.warnf("a block listener failed at height %d: %s", made[0].height(), e.toString());
            }
        }
        return made[0];
    }

    private Block build(ChainState s, List<Tx> txs) {
        long height = s.latestHeight() + 1;
        Instant previous = s.blockTime();
        Instant now = Instant.now();
        Instant time = now.isAfter(previous) ? now : previous.plusNanos(1000);
        List<TxResult> results = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        List<byte[]> raws = new ArrayList<>();
        for (Tx tx : txs) {
            TxResult r = Delivery.deliver(s, tx, height);
            results.add(r);
            hashes.add(tx.hash());
            raws.add(tx.raw());
            log.record(new TxLog.Entry(tx.hash(), time, height, r.code(), r.codespace(), r.log(), tx.signerAddress(), types(tx),
                    messagesJson(tx)));
        }
        byte[] dataHash = Hashes.sha256(String.join(",", hashes).getBytes(StandardCharsets.US_ASCII));
        byte[] lastHash = s.latest().map(Block::hash).orElse(new byte[32]);
        byte[] hash = Hashes.sha256(("chain-sim:" + s.chainId() + ":" + config.seed()).getBytes(StandardCharsets.UTF_8),
                ByteBuffer.allocate(8).putLong(height).array(), lastHash, dataHash);
        byte[] appHash = Hashes.sha256(s.latest().map(Block::appHash).orElse(new byte[32]), hash);
        epochs.endBlock(s.inference(), height, hash, s.latest().map(Block::appHash).orElse(new byte[32]));
        Block block = new Block(height, hash, time, lastHash, raws, results, appHash, dataHash);
        s.commit(block, hashes);
        s.accounts().pruneUnordered(time);
        return block;
    }

    private static Tx decodeQuietly(byte[] raw) {
        try {
            return TxDecoder.decode(raw);
        } catch (TxRejected e) {
            return null;
        }
    }

    /** The inner messages of a host's tx (inside its MsgExec), else the tx's own messages. */
    private static List<Any> inner(Tx tx) {
        if (tx == null) {
            return List.of();
        }
        List<Any> out = new ArrayList<>();
        for (Any m : tx.messages()) {
            if (m.getTypeUrl().equals(io.gonkanode.protocol.tx.TypeUrls.MSG_EXEC)) {
                try {
                    out.addAll(io.gonkanode.protocol.proto.cosmos.MsgExec.parseFrom(m.getValue()).getMsgsList());
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    out.add(m);
                }
            } else {
                out.add(m);
            }
        }
        return out;
    }

    private static List<String> types(Tx tx) {
        return inner(tx).stream().map(Any::getTypeUrl).toList();
    }

    private static List<String> messagesJson(Tx tx) {
        return inner(tx).stream().map(MessageJson::of).toList();
    }

    /** Carries a rejection out of a state reader. */
    private static final class Rejected extends RuntimeException {
        final TxRejected rejected;

        Rejected(TxRejected rejected) {
            super(rejected.log(), null, false, false);
            this.rejected = rejected;
        }
    }
}
