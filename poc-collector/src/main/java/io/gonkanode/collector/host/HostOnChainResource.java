package io.gonkanode.collector.host;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.db.Db;
import io.gonkanode.collector.tx.TxQueue;
import io.gonkanode.collector.tx.TxSender;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What this host did on chain, epoch by epoch, for the dashboard: its seed and claim, its commits per model (the
 * largest count and whether a block included it), its weight distribution, the votes it gave (how many for, against,
 * still open) and the votes it received (who, for or against), and its transactions still on their way or failed.
 */
@Path("/") // not "/v1": a class at /v1 would shadow the legacy callbacks under "/" (JAX-RS matches classes first)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "chain")
public class HostOnChainResource {

    static final int EPOCHS = 5;
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Db db;
    private final TxQueue queue;
    private final TxSender sender;
    private final Optional<Account> account;

    public HostOnChainResource(Db db, TxQueue queue, TxSender sender, Optional<Account> account) {
        this.db = db;
        this.queue = queue;
        this.sender = sender;
        this.account = account;
    }

    @GET
    @Path("v1/chain/host")
    @Operation(summary = "This host on chain, per recent epoch: seed, claim, commits, distribution, votes given and received; txs pending or failed")
    public ObjectNode host() {
        ObjectNode out = F.objectNode();
        out.put("account", account.map(Account::address).orElse(null));
        out.put("sending", sender.enabled() && sender.problem().isEmpty());
        sender.problem().ifPresent(p -> out.put("problem", p));
        ObjectNode txs = out.putObject("txs");
        queue.counts().forEach(txs::put);
        ArrayNode failed = out.putArray("failed_txs");
        queue.recent(100).stream().filter(t -> t.status().equals("FAILED") || t.status().equals("EXPIRED")).limit(10)
                .forEach(t -> failed.addObject().put("purpose", t.purpose()).put("type", t.type()).put("status", t.status())
                        .put("log", t.log()).put("at", t.updatedAt() == null ? null : t.updatedAt().toString()));
        ArrayNode epochs = out.putArray("epochs");
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("select epoch_index, poc_start_block_height from poc.epoch "
                    + "where epoch_index > 0 order by epoch_index desc limit ?")) {
                ps.setInt(1, EPOCHS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        epochs.add(epoch(c, rs.getLong(1), rs.getLong(2)));
                    }
                }
            }
            return null;
        });
        return out;
    }

    private ObjectNode epoch(Connection c, long epoch, long stage) throws SQLException {
        ObjectNode e = F.objectNode().put("epoch_index", epoch).put("poc_start_block_height", stage);
        e.put("seed", txStatus(c, "seed:" + epoch));
        e.put("claim", txStatus(c, "claim:" + epoch));
        e.put("distribution", txStatus(c, "distribution:" + stage + ":%"));
        ArrayNode commits = e.putArray("commits");
        try (PreparedStatement ps = c.prepareStatement("select m.model_id, max(cm.count), max(cm.count) filter (where t.status = 'INCLUDED') "
                + "from poc.commitment cm join poc.model m on m.id = cm.model left join poc.chain_tx t on t.purpose = cm.tx_purpose "
                + "where cm.stage_height = ? group by m.model_id order by m.model_id")) {
            ps.setLong(1, stage);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    commits.addObject().put("model_id", rs.getString(1)).put("count", rs.getLong(2))
                            .put("included_count", rs.getLong(3));
                }
            }
        }
        ObjectNode given = e.putObject("votes_given");
        try (PreparedStatement ps = c.prepareStatement("select status, count(*) from poc.host_validation where stage_height = ? group by status")) {
            ps.setLong(1, stage);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    given.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getLong(2));
                }
            }
        }
        ArrayNode received = e.putArray("votes_received");
        try (PreparedStatement ps = c.prepareStatement("select validator, model_id, weight, height from poc.vote_received "
                + "where stage_height = ? order by height, validator")) {
            ps.setLong(1, stage);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    received.addObject().put("validator", rs.getString(1)).put("model_id", rs.getString(2)).put("weight", rs.getLong(3))
                            .put("height", rs.getLong(4));
                }
            }
        }
        return e;
    }

    /** The status of the latest tx whose purpose matches (a LIKE pattern), or null when none was queued. */
    private static String txStatus(Connection c, String purpose) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status from poc.chain_tx where purpose like ? order by id desc limit 1")) {
            ps.setString(1, purpose);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
