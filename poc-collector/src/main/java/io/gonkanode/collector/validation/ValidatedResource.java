package io.gonkanode.collector.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.collector.artifact.CallbackBodies;
import io.gonkanode.collector.artifact.ModelSegment;
import io.gonkanode.collector.chain.EpochClock;
import io.gonkanode.collector.config.PocModels;
import io.gonkanode.common.rest.ApiException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Locale;

/**
 * The verdicts of this host's ML nodes on the samples it had them recompute ({@code /validated} beside the
 * artifacts' {@code /generated} on the callback port): matched by request id to the host validation that sent the
 * sample; the first verdict for an open one counts.
 */
@Path("/")
@Tag(name = "ML node callbacks")
public class ValidatedResource {

    private final EpochClock clock;
    private final PocModels models;
    private final HostValidator hosts;

    public ValidatedResource(EpochClock clock, PocModels models, HostValidator hosts) {
        this.clock = clock;
        this.models = models;
        this.hosts = hosts;
    }

    @POST
    @Path("v2/poc-batches/{model}/validated")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A validation verdict from the ML node that recomputed a sample")
    @APIResponse(responseCode = "200", description = "Recorded (empty body)")
    @APIResponse(responseCode = "503", description = "Not in the PoC validate window")
    public Response validated(@Encoded @PathParam("model") String rawModel, byte[] body) {
        JsonNode v = CallbackBodies.object(body);
        String modelId = ModelSegment.decode(rawModel);
        long height = clock.height();
        if (!clock.math().inValidationWindow(height) && clock.confirmationPoc().filter(c -> c.validating(height)).isEmpty()) {
            throw new ApiException(503, "not in PoC validate phase");
        }
        if (models.get(modelId).isEmpty()) {
            throw ApiException.badRequest("unknown model_id: " + modelId + " is not a PoC model of this network");
        }
        for (String field : new String[] {"block_height", "node_id", "n_total", "n_mismatch"}) {
            if (!v.path(field).isIntegralNumber()) {
                throw ApiException.badRequest("invalid request body: " + field + " must be an integer");
            }
        }
        if (!v.path("fraud_detected").isBoolean()) {
            throw ApiException.badRequest("invalid request body: fraud_detected must be a boolean");
        }
        String requestId = v.path("request_id").asText("");
        if (!requestId.isEmpty() && !ValidatorClient.REQUEST_ID.matcher(requestId).matches()) {
            throw ApiException.badRequest("invalid request body: request_id must be 1 to 128 characters of A-Z a-z 0-9 . _ : -");
        }
        int total = v.path("n_total").asInt();
        boolean fraud = v.path("fraud_detected").asBoolean() || total <= 0;
        String reason = fraud ? String.format(Locale.ROOT, "fraud detected: %d of %d nonces mismatched (p-value %.3g)",
                v.path("n_mismatch").asInt(), total, v.path("p_value").asDouble()) : null;
        if (requestId.isEmpty() || !hosts.verdict(requestId, total, fraud, reason)) {
            // every sample this host sends out carries its request id; anything else is late, resent or not ours
            Log.warnf("a validation result for node_id %d (request %s) matches no open validation; ignored",
                    v.path("node_id").asInt(), requestId.isEmpty() ? "none" : requestId);
        }
        return Response.ok().build();
    }

    @POST
    @Path("{prefix: v1|mlnode/v1}/poc-batches/validated")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "PoC v1 validation verdict (acknowledged; v1 verdicts are not used for weights)")
    public Response validatedV1(byte[] body) {
        CallbackBodies.object(body);
        return Response.ok().build();
    }
}
