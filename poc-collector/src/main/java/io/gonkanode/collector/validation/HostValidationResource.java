package io.gonkanode.collector.validation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** This host's validation of every host's commitment: the latest rounds, each (participant, model) with its state and vote. */
@Path("/") // not "/v1": a class at /v1 would shadow the legacy callbacks under "/" (JAX-RS matches classes first)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "chain")
public class HostValidationResource {

    /** A round as operators read it. */
    public record RoundView(long stageHeight, boolean confirmation, boolean listed, long validationEnd, List<ItemView> items) {
    }

    /** One commitment's validation: how far it got, the vote and the tx that carries it (once queued). */
    public record ItemView(String participant, String modelId, long count, String status, int attempts, String reason, Long vote,
                           String voteTx) {
    }

    private final HostValidations store;

    public HostValidationResource(HostValidations store) {
        this.store = store;
    }

    @GET
    @Path("v1/chain/validations")
    @Operation(summary = "The latest rounds of validating every host's commitment (this host's too), with this host's votes")
    public List<RoundView> validations() {
        return store.latest(5).stream().map(r -> new RoundView(r.stage(), r.confirmation(), r.listed(), r.validationEnd(),
                store.all(r.stage()).stream().map(i -> new ItemView(i.participant(), i.modelId(), i.count(), i.status(), i.attempts(),
                        i.reason(), i.vote(), i.votePurpose())).toList())).toList();
    }
}
