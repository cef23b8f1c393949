package io.gonkanode.registry.dashboard;

import io.gonkanode.registry.config.RegistryConfig;
import io.gonkanode.common.rest.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.function.Supplier;

/**
 * poc-collector's epoch clock, chain status and weights on the admin port, behind the admin token, for the dashboard
 * (the browser then talks to one origin only) and for operators who only reach 9200.
 */
@Path("/admin/v1")
@Tag(name = "Epochs and chain (from poc-collector)")
@Produces(MediaType.APPLICATION_JSON)
public class EpochProxyResource {

    private final CollectorEpochsApi collector;
    private final String collectorUrl;

    public EpochProxyResource(@RestClient CollectorEpochsApi collector, RegistryConfig config) {
        this.collector = collector;
        this.collectorUrl = config.collectorUrl();
    }

    @GET
    @Path("epochs/latest")
    @Operation(summary = "poc-collector's /v1/epochs/latest: height, epoch, phase, stage heights")
    public Response latest() {
        return forward(collector::latest);
    }

    @GET
    @Path("chain/status")
    @Operation(summary = "poc-collector's /v1/chain/status: the chain node followed, its sync state and why PoC work pauses")
    public Response chainStatus() {
        return forward(collector::chainStatus);
    }

    @GET
    @Path("chain/host")
    @Operation(summary = "poc-collector's /v1/chain/host: this host on chain per epoch (seed, claim, commits, votes given and received)")
    public Response host() {
        return forward(collector::host);
    }

    @GET
    @Path("chain/txs")
    @Operation(summary = "poc-collector's /v1/chain/txs: this host's transactions, counts per status and the latest ones")
    public Response txs(@jakarta.ws.rs.QueryParam("limit") @jakarta.ws.rs.DefaultValue("50") String limit) {
        return forward(() -> collector.txs(limit));
    }

    @GET
    @Path("chain/validations")
    @Operation(summary = "poc-collector's /v1/chain/validations: this host's validation of every host's commitment, with its votes")
    public Response validations() {
        return forward(collector::validations);
    }

    @GET
    @Path("epochs/{epoch}/participants")
    @Operation(summary = "poc-collector's /v1/epochs/{epoch}/participants: the chain's participants and weights")
    public Response participants(@PathParam("epoch") String epoch) {
        return forward(() -> collector.participants(checked(epoch)));
    }

    private static String checked(String epoch) {
        if (!epoch.equals("current") && !epoch.matches("[0-9]{1,18}")) {
            throw new ApiException(400, "epoch must be a number or 'current', got '"
                    + (epoch.length() > 32 ? epoch.substring(0, 32) + "..." : epoch) + "'");
        }
        return epoch;
    }

    /** The collector's answer as it is; its 5xx a 502, no answer at all a 502 that says where we asked. */
    private Response forward(Supplier<Response> call) {
        try (Response r = call.get()) {
            int status = r.getStatus() >= 500 ? 502 : r.getStatus();
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(r.readEntity(String.class)).build();
        } catch (ProcessingException | IllegalStateException e) {
            throw new ApiException(502, "poc-collector did not answer at " + collectorUrl);
        }
    }
}
