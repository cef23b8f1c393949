package io.gonkanode.collector.validation;

import io.gonkanode.collector.chain.BlockHook;
import io.gonkanode.collector.chain.ChainEpochClock;
import io.gonkanode.collector.chain.ConfirmationPoc;
import io.gonkanode.collector.chain.EpochMath;
import io.gonkanode.collector.chain.EpochParams;
import io.gonkanode.collector.tx.TxSender;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * At a stage's validation start block (writes spec §6.1) — regular: P + stage + delay; confirmation PoC: the event's
 * validation start — the round of validating every host's commitment begins: recorded with the stage's seed hash and
 * the start block's hash (the sampling seed) in the block's own transaction, so it begins exactly once.
 */
@ApplicationScoped
public class ValidationStartHook implements BlockHook {

    private final ChainEpochClock clock;
    private final HostValidations validations;
    private final TxSender sender;

    public ValidationStartHook(ChainEpochClock clock, HostValidations validations, TxSender sender) {
        this.clock = clock;
        this.validations = validations;
        this.sender = sender;
    }

    @Override
    public void onBlock(Connection c, Block b) throws SQLException {
        if (!sender.enabled()) { // a host that does not sign has no votes to give
            return;
        }
        Optional<ConfirmationPoc> cpoc = clock.confirmationPoc();
        if (cpoc.isPresent() && b.height() == cpoc.get().validationStart()) {
            validations.begin(c, cpoc.get().triggerHeight(), true, cpoc.get().seedHash(), b.hash(), cpoc.get().validationEnd());
            return;
        }
        EpochMath m = b.math();
        long epoch = m.latestEpoch(b.height());
        if (epoch <= 0) {
            return;
        }
        EpochParams p = m.params();
        long stage = m.pocStart(epoch);
        if (b.height() == stage + p.validationStart()) {
            validations.begin(c, stage, false, stageHash(c, stage), b.hash(), stage + p.endOfValidation());
        }
    }

    /** Block P's hash as processed; empty if it never was here (the validator asks the chain node then). */
    private static String stageHash(Connection c, long stage) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select hash from poc.chain_block where height = ?")) {
            ps.setLong(1, stage);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }
}
