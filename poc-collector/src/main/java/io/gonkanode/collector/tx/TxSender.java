package io.gonkanode.collector.tx;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.BlockFollower;
import io.gonkanode.collector.chain.ChainRpc;
import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.collector.db.Db;
import io.gonkanode.protocol.proto.cosmos.BaseAccount;
import io.gonkanode.protocol.proto.cosmos.QueryAccountRequest;
import io.gonkanode.protocol.proto.cosmos.QueryAccountResponse;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.tx.TxEnvelope;
import io.gonkanode.protocol.tx.TypeUrls;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signs, sends and follows the queued transactions (writes spec §2): each attempt is a fresh tx (unordered,
 * sequence 0, a timeout a minute after the latest block and unique, gas doubled per attempt), recorded as SENT
 * with its hash <em>before</em> it is broadcast; then it is looked up by hash until a block includes it. A tx
 * the node turned away for a passing reason, or that no block included before its timeout, is sent again; one
 * past its deadline block is dropped. Nothing is sent while the chain is catching up, stale or unreachable.
 *
 * <p>A broadcast whose answer never came stays SENT: it may be in the mempool, so it is observed and sent again
 * only once its timeout has passed — never twice at once.
 */
@ApplicationScoped
public class TxSender {

    static final int MAX_ATTEMPTS = 100;
    static final int BATCH = 50;
    static final Duration TIMEOUT_AFTER_BLOCK = Duration.ofSeconds(60);

    private final Db db;
    private final BlockFollower follower;
    private final Optional<SigningKey> warm;
    private final Optional<Account> account;
    private final CollectorConfig.Tx config;
    private final MeterRegistry meters;
    /** The message types this host sends, and what becomes of a tx: their counters exist from the start. */
    static final List<String> SENT_TYPES = List.of(TypeUrls.SUBMIT_SEED, TypeUrls.POC_V2_STORE_COMMIT, TypeUrls.ML_NODE_WEIGHT_DISTRIBUTION,
            TypeUrls.SUBMIT_POC_VALIDATIONS_V2, TypeUrls.CLAIM_REWARDS, TypeUrls.SUBMIT_HARDWARE_DIFF);
    static final List<String> OUTCOMES = List.of("sent", "included", "failed", "expired", "retried");
    private final Map<String, AtomicLong> open = new ConcurrentHashMap<>();
    private volatile long accountNumber = -1;
    private volatile Instant accountCheckedAt = Instant.EPOCH;
    private volatile String problem = "";
    private long lastTimeoutNanos;

    /** A tx still to send or to observe. */
    record Open(long id, String purpose, String typeUrl, byte[] message, long deadline, String status, int attempts, String hash,
                Instant timeoutAt) {
    }

    public TxSender(Db db, BlockFollower follower, Optional<SigningKey> warm, Optional<Account> account, CollectorConfig config,
                    MeterRegistry meters) {
        this.db = db;
        this.follower = follower;
        this.warm = warm;
        this.account = account;
        this.config = config.tx();
        this.meters = meters;
        for (String typeUrl : SENT_TYPES) {
            String type = TxQueue.shortType(typeUrl);
            openGauge(type);
            for (String outcome : OUTCOMES) {
                meters.counter("gonka.chain.txs", "type", type, "outcome", outcome); // at 0, so the first failure is an increase
            }
        }
    }

    /** The open count of one message type, its gauge registered on first use. */
    private AtomicLong openGauge(String type) {
        return open.computeIfAbsent(type, t -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("gonka.chain.txs.open", count, AtomicLong::get).tag("type", t)
                    .description("transactions queued or sent, not yet included, per message type").register(meters);
            return count;
        });
    }

    /** Whether this host sends transactions: a chain is followed and both the account and its warm key are known. */
    public boolean enabled() {
        return follower.enabled() && warm.isPresent() && account.isPresent();
    }

    /** Why nothing is being sent, when that is so (no warm key, the warm account unknown to the chain, ...). */
    public Optional<String> problem() {
        if (!follower.enabled()) {
            return Optional.of("no chain node is followed (DAPI_CHAIN_NODE__URL)");
        }
        if (account.isEmpty() || warm.isEmpty()) {
            return Optional.of(account.isEmpty() ? "ACCOUNT_PUBKEY is not set" : "no warm key (GONKA_WARM_KEY_FILE, or KEY_NAME in the keyring): nothing is signed");
        }
        return problem.isEmpty() ? follower.paused() : Optional.of(problem);
    }

    @Scheduled(every = "${gonka.tx.interval:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!enabled() || follower.paused().isPresent() || follower.rpc().isEmpty() || follower.network().isEmpty()) {
            return;
        }
        ChainRpc rpc = follower.rpc().get();
        try {
            if (!accountKnown(rpc)) {
                return;
            }
            for (Open t : due()) {
                handle(rpc, t);
            }
        } catch (IOException e) {
            Log.debugf("tx queue: the chain node did not answer: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The warm account's number, which every signature commits to; queried once, again after a failure. */
    private boolean accountKnown(ChainRpc rpc) throws IOException, InterruptedException {
        if (accountNumber >= 0) {
            return true;
        }
        if (Duration.between(accountCheckedAt, Instant.now()).compareTo(Duration.ofSeconds(10)) < 0) {
            return false;
        }
        accountCheckedAt = Instant.now();
        String address = warm.get().address();
        try {
            QueryAccountResponse r = QueryAccountResponse.parseFrom(rpc.query("/cosmos.auth.v1beta1.Query/Account",
                    QueryAccountRequest.newBuilder().setAddress(address).build().toByteArray()));
            accountNumber = BaseAccount.parseFrom(r.getAccount().getValue()).getAccountNumber();
            problem = "";
            Log.infof("signing as %s (account number %d) for %s on %s", address, accountNumber, account.get().address(), follower.network());
            return true;
        } catch (ChainRpc.ChainError e) {
            String p = "the warm account " + address + " is not on chain yet (" + e.getMessage() + "): it needs a balance or a first "
                    + "transfer, and the grants of 'inferenced tx inference grant-ml-ops-permissions'";
            if (!p.equals(problem)) {
                Log.warn(p);
            }
            problem = p;
            return false;
        } catch (InvalidProtocolBufferException e) {
            problem = "the chain node's account answer is not a BaseAccount: " + e.getMessage();
            return false;
        }
    }

    private List<Open> due() {
        return db.tx(c -> {
            List<Open> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, purpose, type_url, message, deadline_height, status, attempts, "
                    + "tx_hash, timeout_at from poc.chain_tx where status in ('QUEUED', 'SENT') and next_at <= now() order by id limit ?")) {
                ps.setInt(1, BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp timeout = rs.getTimestamp(9);
                        out.add(new Open(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getLong(5), rs.getString(6),
                                rs.getInt(7), rs.getString(8), timeout == null ? null : timeout.toInstant()));
                    }
                }
            }
            Map<String, Long> byType = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select type_url, count(*) from poc.chain_tx where status in ('QUEUED', 'SENT') "
                    + "group by type_url"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byType.merge(TxQueue.shortType(rs.getString(1)), rs.getLong(2), Long::sum);
                }
            }
            byType.keySet().forEach(this::openGauge);
            open.forEach((type, count) -> count.set(byType.getOrDefault(type, 0L)));
            return out;
        });
    }

    private void handle(ChainRpc rpc, Open t) throws IOException, InterruptedException {
        if ("SENT".equals(t.status())) {
            observe(rpc, t); // even past its deadline: a block may have included it in time
        } else if (follower.latestHeight() > t.deadline()) {
            finish(t, "EXPIRED", null, null, "past its deadline block " + t.deadline());
        } else if (t.attempts() >= MAX_ATTEMPTS) {
            finish(t, "FAILED", null, null, "gave up after " + t.attempts() + " attempts");
        } else {
            send(rpc, t);
        }
    }

    /** Signs and broadcasts one attempt; CheckTx's answer is kept with the row (code 0: in the mempool). */
    private void send(ChainRpc rpc, Open t) throws InterruptedException {
        Instant timeout = nextTimeout();
        List<Any> inner = List.of(Any.newBuilder().setTypeUrl(t.typeUrl()).setValue(ByteString.copyFrom(t.message())).build());
        long price = follower.epochInfo().map(i -> i.getParams().getFeeParams().getMinGasPriceNgonka()).orElse(0L);
        byte[] raw = TxEnvelope.sign(inner, new TxEnvelope.Params(warm.get(), account.get().address(), follower.network(), accountNumber,
                timeout, t.attempts(), price));
        String hash = TxEnvelope.hash(raw);
        update(t.id(), "update poc.chain_tx set status = 'SENT', tx_hash = ?, timeout_at = ?, attempts = attempts + 1, next_at = ?, "
                + "code = null, codespace = null, log = null, updated_at = now() where id = ?", hash, Timestamp.from(timeout), Timestamp.from(Instant.now().plus(config.observeInterval())));
        count(t, "sent");
        ChainRpc.CheckTx r;
        try {
            r = rpc.broadcastTxSync(raw);
        } catch (IOException e) {
            Log.warnf("%s: no answer to the broadcast of %s (%s); looking it up by hash", t.purpose(), hash, e.getMessage());
            return;
        }
        switch (Broadcasts.checkTx(r.code(), r.log())) {
            case OBSERVE -> update(t.id(), "update poc.chain_tx set code = ?, codespace = ?, log = ?, updated_at = now() where id = ?",
                    r.code(), r.codespace(), r.log());
            case RETRY -> retry(t, r.code(), r.codespace(), r.log());
            case FAIL -> finish(t, "FAILED", r.code(), r.codespace(), r.log());
        }
    }

    private void observe(ChainRpc rpc, Open t) throws IOException, InterruptedException {
        Optional<ChainRpc.Included> included = rpc.tx(t.hash());
        if (included.isPresent()) {
            ChainRpc.Included i = included.get();
            switch (Broadcasts.deliverTx(i.code(), i.log())) {
                case OBSERVE -> {
                    update(t.id(), "update poc.chain_tx set status = 'INCLUDED', height = ?, code = 0, codespace = null, log = null, "
                            + "updated_at = now() where id = ?", i.height());
                    count(t, "included");
                    Log.infof("%s: included at height %d (%s)", t.purpose(), i.height(), t.hash());
                }
                case RETRY -> retry(t, i.code(), i.codespace(), i.log());
                case FAIL -> finish(t, "FAILED", i.code(), i.codespace(), i.log());
            }
        } else if (t.timeoutAt() != null && follower.latestBlockTime().isAfter(t.timeoutAt())) {
            if (follower.latestHeight() > t.deadline()) {
                finish(t, "EXPIRED", null, null, "not included before its timeout, and past its deadline block " + t.deadline());
                return;
            }
            Log.infof("%s: %s was not included before its timeout; signing it again", t.purpose(), t.hash());
            update(t.id(), "update poc.chain_tx set status = 'QUEUED', next_at = now(), updated_at = now() where id = ?");
        } else {
            update(t.id(), "update poc.chain_tx set next_at = ? where id = ?", Timestamp.from(Instant.now().plus(config.observeInterval())));
        }
    }

    private void retry(Open t, long code, String codespace, String log) {
        long delayMs = (long) (config.retryDelay().toMillis() * ThreadLocalRandom.current().nextDouble(0.7, 1.3));
        update(t.id(), "update poc.chain_tx set status = 'QUEUED', code = ?, codespace = ?, log = ?, next_at = ?, updated_at = now() "
                + "where id = ?", code, codespace, log, Timestamp.from(Instant.now().plusMillis(delayMs)));
        count(t, "retried");
        Log.infof("%s: turned away (code %d: %s); again in %d ms", t.purpose(), code, log, delayMs);
    }

    private void finish(Open t, String status, Long code, String codespace, String log) {
        update(t.id(), "update poc.chain_tx set status = ?, code = ?, codespace = ?, log = ?, updated_at = now() where id = ?", status, code,
                codespace, log);
        count(t, status.toLowerCase(java.util.Locale.ROOT));
        Log.warnf("%s: %s (%s)%s", t.purpose(), status.toLowerCase(java.util.Locale.ROOT), log, hint(log));
    }

    /** What an operator can do about the failures that are theirs to fix. */
    static String hint(String log) {
        String l = log == null ? "" : log.toLowerCase(java.util.Locale.ROOT);
        if (l.contains("fee-grant not found") || l.contains("does not allow to pay fees") || l.contains("authorization not found")) {
            return "; the account has not granted the warm key its permissions: run 'inferenced tx inference "
                    + "grant-ml-ops-permissions <cold key> <warm address> --from <cold key>'";
        }
        return "";
    }

    /** The latest block's time plus a minute, strictly increasing across this process (the unordered tx's replay key). */
    private synchronized Instant nextTimeout() {
        if (lastTimeoutNanos == 0) {
            lastTimeoutNanos = lastSentTimeoutNanos();
        }
        Instant base = follower.latestBlockTime().plus(TIMEOUT_AFTER_BLOCK);
        long nanos = base.getEpochSecond() * 1_000_000_000L + base.getNano();
        if (nanos <= lastTimeoutNanos) {
            nanos = lastTimeoutNanos + 1;
        }
        lastTimeoutNanos = nanos;
        return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }

    /** After a restart: past the last timeout sent (PostgreSQL keeps microseconds, so one more is added). */
    private long lastSentTimeoutNanos() {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select max(timeout_at) from poc.chain_tx"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp t = rs.getTimestamp(1);
                return t == null ? 1 : t.toInstant().getEpochSecond() * 1_000_000_000L + t.toInstant().getNano() + 1_000;
            }
        });
    }

    private void count(Open t, String outcome) {
        meters.counter("gonka.chain.txs", "type", TxQueue.shortType(t.typeUrl()), "outcome", outcome).increment();
    }

    private void update(long id, String sql, Object... values) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (Object v : values) {
                    ps.setObject(i++, v);
                }
                ps.setLong(i, id);
                return ps.executeUpdate();
            }
        });
    }
}
