package io.gonkanode.collector.chain;

import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.collector.db.Db;
import io.gonkanode.collector.proto.QueryEpochInfoResponse;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import java.io.IOException;
import java.net.http.HttpClient;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Follows the chain node at {@code DAPI_CHAIN_NODE__URL}: blocks are processed strictly in order, each exactly
 * once — its id recorded, and at a PoC start the epoch created with the block's hash (the {@code poc_start}
 * hook) — in one transaction per block, so the last processed height survives a restart and a crash. New
 * heights come from the NewBlock websocket and from polling {@code status}; whatever was missed (a dropped
 * websocket, a restart, a slow handler) is fetched with {@code block} and processed in turn, so no hook is ever
 * skipped. While the node reports {@code catching_up}, or no block came for {@code gonka.chain.stale-after},
 * the round's work pauses and readiness says why.
 */
@ApplicationScoped
public class BlockFollower {

    /** Why the round's work is paused, or empty when the chain is live. */
    public enum Sync { NOT_STARTED, LIVE, CATCHING_UP, STALE, UNREACHABLE }

    private final CollectorConfig.Chain config;
    private final Db db;
    private final EpochStore epochs;
    private final Instance<BlockHook> hooks;
    // CometBFT's RPC is HTTP/1.1: no h2c upgrade dance on its plain-http connections
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final Object signal = new Object();
    private volatile ChainRpc rpc;
    private volatile NewBlocks newBlocks;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile long processed = -1;
    private volatile long known;
    private volatile Instant latestBlockTime = Instant.EPOCH;
    private volatile Sync sync = Sync.NOT_STARTED;
    private volatile String reason = "not connected to the chain node yet";
    private volatile EpochMath math;
    private volatile QueryEpochInfoResponse epochInfo;
    private volatile String network = "";
    private volatile ChainFacts facts;
    private final java.util.Map<Long, String> hashes = new java.util.concurrent.ConcurrentHashMap<>();

    /** What the chain says a PoC round needs besides its stage: per PoC model its seq_len and governance args, RNG, MLNode version. */
    public record ChainFacts(java.util.Map<String, Integer> seqLens, java.util.Map<String, java.util.List<String>> modelArgs,
                             boolean pocStrongerRng, String mlnodeVersion) {
    }

    public BlockFollower(CollectorConfig config, Db db, EpochStore epochs, Instance<BlockHook> hooks) {
        this.config = config.chain();
        this.db = db;
        this.epochs = epochs;
        this.hooks = hooks;
    }

    public boolean enabled() {
        return config.nodeUrl().filter(u -> !u.isBlank()).isPresent();
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled()) {
            return;
        }
        String url = config.nodeUrl().get().trim();
        var problem = ChainRpc.problem(url);
        if (problem.isPresent()) {
            // Main refuses the environment variable before start-up; this catches the setting from other config sources
            Log.error(problem.get() + "; stopping");
            io.quarkus.runtime.Quarkus.asyncExit(1);
            return;
        }
        rpc = new ChainRpc(url, http);
        running = true;
        newBlocks = new NewBlocks(rpc.websocket(), http, this::heard);
        newBlocks.open();
        thread = new Thread(this::loop, "chain-follower");
        thread.setDaemon(true);
        thread.start();
        Log.infof("following the chain node at %s", rpc.endpoint());
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (newBlocks != null) {
            newBlocks.close();
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last height whose block (and hooks) are done; −1 before the first. */
    public long processed() {
        return processed;
    }

    /** The highest height the chain node has reported. */
    public long latestHeight() {
        return known;
    }

    /** The time of the latest block the node has reported (a transaction's timeout counts from it). */
    public Instant latestBlockTime() {
        return latestBlockTime;
    }

    public Sync sync() {
        return sync;
    }

    /** Why the round's work waits, when it does. */
    public Optional<String> paused() {
        return sync == Sync.LIVE ? Optional.empty() : Optional.of(reason);
    }

    /** The chain's epoch arithmetic (its live EpochParams), once read. */
    public Optional<EpochMath> math() {
        return Optional.ofNullable(math);
    }

    public Optional<QueryEpochInfoResponse> epochInfo() {
        return Optional.ofNullable(epochInfo);
    }

    /** The chain's models and round settings, once read (refreshed with the epoch information). */
    public Optional<ChainFacts> facts() {
        return Optional.ofNullable(facts);
    }

    /** The chain node's RPC client, once following started. */
    public Optional<ChainRpc> rpc() {
        return Optional.ofNullable(rpc);
    }

    public String network() {
        return network;
    }

    /**
     * The hash the chain prints for a processed block, or from the node for another one. A block's hash never changes,
     * so the ones asked for (the stage's, by every batch and every round check) are kept in memory.
     */
    public Optional<String> hash(long height) {
        String known = hashes.get(height);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> found = lookUpHash(height);
        found.ifPresent(h -> {
            if (hashes.size() >= 256) {
                hashes.clear();
            }
            hashes.put(height, h);
        });
        return found;
    }

    private Optional<String> lookUpHash(long height) {
        Optional<String> stored = db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select hash from poc.chain_block where height = ?")) {
                ps.setLong(1, height);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
        if (stored.isPresent() || rpc == null) {
            return stored;
        }
        try {
            return Optional.of(rpc.block(height).hash());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void heard(long height) {
        if (height > known) {
            known = height;
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    private void loop() {
        long lastStatus = 0;
        long backoff = 500;
        while (running) {
            try {
                if (processed < 0) {
                    start();
                }
                long now = System.nanoTime();
                if (now - lastStatus > config.statusInterval().toNanos()) {
                    poll();
                    lastStatus = now;
                }
                if (processed < known) {
                    process(processed + 1);
                    backoff = 500;
                    continue;
                }
                synchronized (signal) {
                    if (processed >= known) {
                        signal.wait(Math.max(1, config.statusInterval().toMillis()));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                unreachable(e);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(10_000, backoff * 2);
            }
        }
    }

    private void unreachable(Exception e) {
        String message = e instanceof java.net.ConnectException ? "connection refused"
                : e instanceof java.net.http.HttpTimeoutException ? "no answer within " + ChainRpc.TIMEOUT.toSeconds() + " s"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (sync != Sync.UNREACHABLE || !reason.endsWith(message)) {
            Log.warnf("chain node %s unreachable: %s", rpc.endpoint(), message);
        }
        sync = Sync.UNREACHABLE;
        reason = "chain node " + rpc.endpoint() + " unreachable: " + message;
    }

    /** Where to begin: after the last processed block, or (first start) at the current epoch's PoC start. */
    private void start() throws IOException, InterruptedException {
        Long last = db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select max(height) from poc.chain_block");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        });
        ChainRpc.Status status = rpc.status();
        refreshEpochInfo();
        if (last != null) {
            processed = last;
            Log.infof("chain %s: resuming after block %d (the node is at %d)", status.network(), last, status.latestHeight());
        } else {
            long pocStart = epochInfo.getLatestEpoch().getPocStartBlockHeight();
            long begin = pocStart > 0 && pocStart <= status.latestHeight() ? pocStart : Math.max(1, status.latestHeight());
            processed = begin - 1;
            Log.infof("chain %s at height %d: first start, following from block %d", status.network(), status.latestHeight(), begin);
        }
        known = Math.max(known, status.latestHeight());
    }

    /** {@code status}: the node's height, whether it is catching up, and how old its last block is. */
    private void poll() throws IOException, InterruptedException {
        ChainRpc.Status s = rpc.status();
        network = s.network();
        known = Math.max(known, s.latestHeight());
        if (s.latestBlockTime().isAfter(latestBlockTime)) {
            latestBlockTime = s.latestBlockTime();
        }
        Duration age = Duration.between(s.latestBlockTime(), Instant.now());
        if (s.catchingUp()) {
            sync = Sync.CATCHING_UP;
            reason = "the chain node is catching up (at height " + s.latestHeight() + ")";
        } else if (age.compareTo(config.staleAfter()) > 0) {
            sync = Sync.STALE;
            reason = "no block for " + age.toSeconds() + " s (the chain node is at height " + s.latestHeight() + ")";
        } else {
            sync = Sync.LIVE;
            reason = "";
        }
        if (!newBlocks.connected()) {
            Log.debugf("NewBlock websocket down; polling status every %s", config.statusInterval());
        }
    }

    private void refreshEpochInfo() throws IOException, InterruptedException {
        QueryEpochInfoResponse info = QueryEpochInfoResponse.parseFrom(rpc.query("/inference.inference.Query/EpochInfo", new byte[0]));
        var p = info.getParams().getEpochParams();
        EpochParams params = new EpochParams(p.getEpochLength(), p.getEpochShift(), p.getPocStageDuration(), p.getPocExchangeDuration(),
                p.getPocValidationDelay(), p.getPocValidationDuration(), p.getSetNewValidatorsDelay(), p.getInferenceValidationCutoff());
        long index = info.getLatestEpoch().getIndex();
        long pocStart = info.getLatestEpoch().getPocStartBlockHeight();
        EpochMath current = math;
        EpochMath fresh = index > 0 && pocStart > 0 ? new EpochMath(params, index, pocStart) : new EpochMath(params);
        if (current == null || !current.params().equals(params) || current.pocStart(index) != fresh.pocStart(index)) {
            Log.infof("chain epoch parameters: %s; latest epoch %d from %d", params, index, pocStart);
        }
        math = fresh;
        epochInfo = info;
        var models = io.gonkanode.collector.proto.QueryModelsAllResponse.parseFrom(
                rpc.query("/inference.inference.Query/ModelsAll", new byte[0]));
        var version = io.gonkanode.collector.proto.QueryGetMLNodeVersionResponse.parseFrom(
                rpc.query("/inference.inference.Query/MLNodeVersion", new byte[0]));
        java.util.Map<String, Integer> seqLens = new java.util.LinkedHashMap<>();
        info.getParams().getPocParams().getModelsList().forEach(m -> seqLens.put(m.getModelId(), (int) m.getSeqLen()));
        java.util.Map<String, java.util.List<String>> args = new java.util.LinkedHashMap<>();
        models.getModelList().forEach(m -> args.put(m.getId(), java.util.List.copyOf(m.getModelArgsList())));
        facts = new ChainFacts(seqLens, args, info.getParams().getPocParams().getPocStrongerRngEnabled(),
                version.getMlnodeVersion().getCurrentVersion());
    }

    /** One block, its id and its hooks, in one transaction. */
    private void process(long height) throws IOException, InterruptedException {
        ChainRpc.BlockId block = rpc.block(height);
        if (height >= known || height % 20 == 0) {
            refreshEpochInfo();
        }
        EpochMath m = math;
        long epoch = m.latestEpoch(height);
        boolean pocStart = epoch > 0 && m.pocStart(epoch) == height;
        if (pocStart) {
            epochs.ensure(epoch, height, block.hash()); // idempotent: a crash before the block's row only repeats it
        }
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into poc.chain_block (height, hash, time) values (?, ?, ?) on conflict (height) do nothing")) {
                ps.setLong(1, height);
                ps.setString(2, block.hash());
                ps.setTimestamp(3, Timestamp.from(block.time()));
                if (ps.executeUpdate() == 0) {
                    return null; // processed before a crash that lost only the in-memory height
                }
            }
            BlockHook.Block b = new BlockHook.Block(height, block.hash(), block.time(), m, Math.max(known, height), block.txs());
            for (BlockHook hook : hooks) {
                hook.onBlock(c, b);
            }
            if (pocStart) {
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into poc.chain_hook (height, hook) values (?, 'poc_start') on conflict do nothing")) {
                    ps.setLong(1, height);
                    ps.executeUpdate();
                }
            }
            return null;
        });
        if (pocStart) {
            long chainsLatest = epochInfo.getLatestEpoch().getPocStartBlockHeight();
            Log.infof("block %d: PoC start of epoch %d, hash %s%s", height, epoch, block.hash(),
                    chainsLatest == height || height < known ? "" : " (the chain's latest epoch starts at " + chainsLatest + ")");
        }
        processed = height;
        if (block.time().isAfter(latestBlockTime)) {
            latestBlockTime = block.time();
        }
        if (height % 1000 == 0) {
            db.tx(c -> {
                try (PreparedStatement ps = c.prepareStatement("delete from poc.chain_block where height < ?")) {
                    ps.setLong(1, height - 20_000);
                    return ps.executeUpdate();
                }
            });
        }
    }
}
