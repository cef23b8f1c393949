package io.gonkanode.collector.seed;

import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.BlockHook;
import io.gonkanode.collector.chain.EpochMath;
import io.gonkanode.collector.tx.TxQueue;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.proto.inference.MsgClaimRewards;
import io.gonkanode.protocol.proto.inference.MsgSubmitSeed;
import io.gonkanode.protocol.tx.Seeds;
import io.gonkanode.protocol.tx.TypeUrls;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Seeds and claims (writes spec §7): at the PoC start of epoch E this host's seed for E is derived from the warm key,
 * kept, and submitted; at epoch E's claim height plus this account's delay the rewards of E−1 are claimed with
 * E−1's seed. Both are block hooks, so a block missed while the collector was down still gets its seed or claim
 * when the follower replays it.
 */
@ApplicationScoped
public class SeedHooks implements BlockHook {

    /** Past this height a claim waits (1 to 500 blocks, from the account's address) so that hosts do not all claim at once. */
    static final long DELAY_FROM_HEIGHT = 500;
    /** ... unless the epoch is too short for it (claim height to next PoC start under this many blocks). */
    static final long DELAY_MIN_GAP = 1000;

    private final Optional<SigningKey> warm;
    private final Optional<Account> account;
    private final TxQueue queue;

    public SeedHooks(Optional<SigningKey> warm, Optional<Account> account, TxQueue queue) {
        this.warm = warm;
        this.account = account;
        this.queue = queue;
    }

    @Override
    public void onBlock(Connection c, Block b) throws SQLException {
        if (warm.isEmpty() || account.isEmpty()) {
            return;
        }
        EpochMath m = b.math();
        long epoch = m.latestEpoch(b.height());
        if (epoch <= 0) {
            return;
        }
        EpochMath.Stages stages = m.stages(epoch);
        if (b.height() == stages.pocStart()) {
            submitSeed(c, epoch, b);
        }
        if (epoch > 1 && b.height() == stages.claimMoney() + claimDelay(account.get().address(), b.height(), stages)) {
            claim(c, epoch - 1, b);
        }
    }

    private void submitSeed(Connection c, long epoch, Block b) throws SQLException {
        Seeds.Seed seed = Seeds.derive(warm.get(), epoch);
        try (PreparedStatement ps = c.prepareStatement(
                "insert into poc.seed (epoch_index, seed, signature) values (?, ?, ?) on conflict (epoch_index) do nothing")) {
            ps.setLong(1, epoch);
            ps.setLong(2, seed.value());
            ps.setString(3, seed.signatureHex());
            ps.executeUpdate();
        }
        MsgSubmitSeed msg = MsgSubmitSeed.newBuilder().setCreator(account.get().address()).setEpochIndex(epoch)
                .setSignature(seed.signatureHex()).build();
        if (queue.enqueue(c, "seed:" + epoch, TypeUrls.SUBMIT_SEED, msg, b.latestHeight() + TxQueue.DEADLINE_BLOCKS)) {
            Log.infof("block %d: seed of epoch %d queued", b.height(), epoch);
        }
    }

    private void claim(Connection c, long epoch, Block b) throws SQLException {
        Optional<Long> seed = seed(c, epoch);
        if (seed.isEmpty()) {
            Log.infof("block %d: no seed of epoch %d (this host was not in its PoC): nothing to claim", b.height(), epoch);
            return;
        }
        MsgClaimRewards msg = MsgClaimRewards.newBuilder().setCreator(account.get().address()).setSeed(seed.get()).setEpochIndex(epoch)
                .build();
        if (queue.enqueue(c, "claim:" + epoch, TypeUrls.CLAIM_REWARDS, msg, b.latestHeight() + TxQueue.DEADLINE_BLOCKS)) {
            Log.infof("block %d: claim of epoch %d queued", b.height(), epoch);
        }
    }

    /** The kept seed of an epoch, or none when this host did not submit one. */
    private static Optional<Long> seed(Connection c, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select seed from poc.seed where epoch_index = ?")) {
            ps.setLong(1, epoch);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /**
     * Upstream's claim delay: {@code BE64(SHA256(address))[0:8] mod 500 + 1} blocks past height 500, none when the epoch
     * leaves under 1,000 blocks between the claim height and the next PoC.
     */
    static long claimDelay(String address, long height, EpochMath.Stages stages) {
        if (height <= DELAY_FROM_HEIGHT || stages.nextPocStart() - stages.claimMoney() < DELAY_MIN_GAP) {
            return 0;
        }
        long h = ByteBuffer.wrap(Hashes.sha256(address.getBytes(StandardCharsets.US_ASCII)), 0, 8).getLong();
        return Long.remainderUnsigned(h, 500) + 1;
    }
}
