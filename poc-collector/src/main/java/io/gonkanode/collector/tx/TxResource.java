package io.gonkanode.collector.tx;

import io.gonkanode.common.rest.ApiException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** This host's transactions: whether it is sending, why not, and the latest ones with their outcome. */
@Path("/") // not "/v1": a class at /v1 would shadow the legacy callbacks under "/" (JAX-RS matches classes first)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "chain")
public class TxResource {

    /** The queue as operators read it. */
    public record Txs(boolean sending, String problem, Map<String, Long> counts, List<TxQueue.Entry> txs) {
    }

    private final TxQueue queue;
    private final TxSender sender;

    public TxResource(TxQueue queue, TxSender sender) {
        this.queue = queue;
        this.sender = sender;
    }

    @GET
    @Path("v1/chain/txs")
    @Operation(summary = "This host's transactions: counts per status and the latest ones, newest first")
    public Txs txs(@QueryParam("limit") @DefaultValue("50") String limit) {
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 500) {
            throw new ApiException(400, "limit must be a number from 1 to 500");
        }
        String problem = sender.problem().orElse(null);
        return new Txs(sender.enabled() && problem == null, problem, queue.counts(), queue.recent(n));
    }
}
