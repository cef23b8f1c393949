package io.gonkanode.collector.chain;

import io.gonkanode.collector.config.CollectorConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * A local chain: one block every {@code gonka.chain.block-time} since a genesis time kept in the database
 * (so a restart continues the same chain and resumes a PoC round), with upstream's epoch parameters and a
 * deterministic block hash per height: uppercase hex SHA-256 of {@code "<chain id>:<height>"}.
 */
@ApplicationScoped
@jakarta.enterprise.inject.Typed(LocalEpochClock.class)
public class LocalEpochClock implements EpochClock {

    private final DataSource dataSource;
    private final CollectorConfig.Chain config;
    private final EpochMath math;
    private final long blockMillis;
    private volatile Instant genesis;

    public LocalEpochClock(DataSource dataSource, CollectorConfig config) {
        this.dataSource = dataSource;
        this.config = config.chain();
        CollectorConfig.Chain c = config.chain();
        this.math = new EpochMath(new EpochParams(c.epochLength(), c.epochShift(), c.pocStageDuration(),
                c.pocExchangeDuration(), c.pocValidationDelay(), c.pocValidationDuration(), c.setNewValidatorsDelay(),
                c.inferenceValidationCutoff()));
        this.blockMillis = Math.max(1, c.blockTime().toMillis());
    }

    @Override
    public long height() {
        return Math.max(0, (System.currentTimeMillis() - genesis().toEpochMilli()) / blockMillis);
    }

    @Override
    public EpochMath math() {
        return math;
    }

    @Override
    public String blockHash(long height) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((config.chainId() + ":" + height).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When the chain started (inserted on first use, then read back forever). */
    public Instant genesis() {
        Instant g = genesis;
        if (g != null) {
            return g;
        }
        synchronized (this) {
            if (genesis == null) {
                genesis = loadOrCreate();
            }
            return genesis;
        }
    }

    private Instant loadOrCreate() {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into poc.chain (id, chain_id, genesis_time) values (1, ?, ?) on conflict (id) do nothing")) {
                insert.setString(1, config.chainId());
                insert.setTimestamp(2, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("select chain_id, genesis_time from poc.chain where id = 1");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                Instant g = rs.getTimestamp(2).toInstant();
                Log.infof("local chain %s, genesis %s, one block every %d ms", rs.getString(1), g, blockMillis);
                return g;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the chain's genesis time: " + e.getMessage(), e);
        }
    }
}
