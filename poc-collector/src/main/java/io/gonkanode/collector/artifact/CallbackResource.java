package io.gonkanode.collector.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.EpochClock;
import io.gonkanode.collector.chain.EpochMath;
import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.collector.config.PocModels;
import io.gonkanode.collector.registry.NodeDirectory;
import io.gonkanode.collector.validation.ValidationStore;
import io.gonkanode.collector.validation.ValidatorClient;
import io.gonkanode.collector.web.ApiException;
import io.gonkanode.collector.web.ErrorMappers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The ML nodes' callback server (upstream's port 9100). Every accepted batch is committed to PostgreSQL
 * before the empty 200, so an ML node that got a 200 never has to send it again and one that did not
 * resends it (duplicate nonces are ignored). Checks and codes are upstream's, in its order.
 */
@Path("/")
@Tag(name = "ML node callbacks")
public class CallbackResource {

    static final String GENERATED_EXAMPLE = """
            {"block_hash": "8E5C2F0C9B3A4D1E7F6A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E", "block_height": 1234560,
             "public_key": "02f4c3...", "node_id": 1, "artifacts": [{"nonce": 17, "vector_b64": "2LHLt562PjfwqC0sVq4YremrBaVYMzK4"}],
             "encoding": {"dtype": "f16", "k_dim": 12, "endian": "le"}}""";

    private final EpochClock clock;
    private final ArtifactStore store;
    private final ModelKeys modelKeys;
    private final PocModels models;
    private final NodeDirectory nodes;
    private final ValidationStore validations;
    private final Optional<Account> account;
    private final CollectorConfig config;
    private final MeterRegistry metrics;
    private final ObjectMapper json = new ObjectMapper();
    private final Counter accepted;
    private final Counter duplicates;
    private final Timer batchTimer;

    public CallbackResource(EpochClock clock, ArtifactStore store, ModelKeys modelKeys, PocModels models,
                            NodeDirectory nodes, ValidationStore validations, Optional<Account> account,
                            CollectorConfig config, MeterRegistry metrics) {
        this.clock = clock;
        this.store = store;
        this.modelKeys = modelKeys;
        this.models = models;
        this.nodes = nodes;
        this.validations = validations;
        this.account = account;
        this.config = config;
        this.metrics = metrics;
        this.accepted = Counter.builder("collector.artifacts").tag("outcome", "stored").description("Artifacts stored").register(metrics);
        this.duplicates = Counter.builder("collector.artifacts").tag("outcome", "duplicate").description("Artifacts already stored").register(metrics);
        this.batchTimer = Timer.builder("collector.batch").description("Time to validate and durably store one batch")
                .publishPercentiles(0.5, 0.99).register(metrics);
    }

    @POST
    @Path("v2/poc-batches/{model}/generated")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "PoC v2 artifacts from an ML node", description = "The model segment is the model id path-escaped twice "
            + "(Qwen%252FQwen3-...). 200 with an empty body once the batch is committed.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "batch", value = GENERATED_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Stored (empty body)")
    @APIResponse(responseCode = "400", description = "Malformed batch, wrong stage, unknown node_num, bad vectors")
    @APIResponse(responseCode = "503", description = "Not in the PoC generate window, or the database is away: the ML node retries")
    public Response generated(@Encoded @PathParam("model") String rawModel, byte[] body) {
        long start = System.nanoTime();
        try {
            GeneratedBatch batch = GeneratedBatch.parse(body, config.poc().maxArtifactsPerBatch());
            String modelId = ModelSegment.decode(rawModel);
            if (models.get(modelId).isEmpty()) {
                throw reject("unknown_model", 400, "unknown model_id: " + modelId + " is not a PoC model of this network");
            }
            long height = clock.height();
            EpochMath math = clock.math();
            if (!math.inGenerationWindow(height)) {
                throw reject("window", 503, "not in PoC generate phase");
            }
            long stage = math.pocStart(math.latestEpoch(height));
            if (batch.blockHeight() != stage) {
                throw reject("stage", 400, "block_height is not the active PoC stage");
            }
            if (!clock.blockHash(stage).equalsIgnoreCase(batch.blockHash())) {
                throw reject("block_hash", 400, "block_hash is not the hash of the active PoC stage");
            }
            if (account.isPresent() && !account.get().publicKeyHex().equalsIgnoreCase(batch.publicKey())) {
                throw reject("public_key", 400, "public_key is not this host's account key");
            }
            if (nodes.byNum(batch.nodeId()).isEmpty()) {
                throw reject("node", 400, "unknown node_num");
            }
            int stored;
            try {
                stored = store.store(stage, modelKeys.of(modelId), batch.nodeId(), batch.nonces(), batch.vectors());
            } catch (RuntimeException e) {
                if (ErrorMappers.isDatabaseUnavailable(e)) {
                    throw reject("store", 503, "failed to store artifacts: database unavailable");
                }
                Log.error("storing a batch failed", e);
                throw reject("store", 503, "failed to store artifacts");
            }
            accepted.increment(stored);
            duplicates.increment(batch.nonces().length - stored);
            Log.debugf("node %d: %d artifacts for stage %d (%s), %d new", batch.nodeId(), batch.nonces().length, stage, modelId, stored);
            return Response.ok().build();
        } catch (ApiException e) {
            if (e.status() == 400 && e.getMessage().startsWith("invalid")) {
                rejected("malformed");
            } else if (e.getMessage().contains("base64") || e.getMessage().contains("empty artifact")) {
                rejected("vector");
            }
            throw e;
        } finally {
            batchTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @POST
    @Path("v2/poc-batches/{model}/validated")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A validation verdict from the ML node that recomputed a sample")
    @APIResponse(responseCode = "200", description = "Recorded (empty body)")
    @APIResponse(responseCode = "503", description = "Not in the PoC validate window")
    public Response validated(@Encoded @PathParam("model") String rawModel, byte[] body) {
        JsonNode v = readObject(body);
        String modelId = ModelSegment.decode(rawModel);
        if (!clock.math().inValidationWindow(clock.height())) {
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
        Optional<ValidationStore.Row> row = validations.forResult(requestId, v.path("block_height").asLong(),
                v.path("node_id").asInt(), modelKeys.of(modelId));
        if (row.isEmpty()) {
            Log.warnf("a validation result for node_id %d (request %s) matches no open validation; ignored",
                    v.path("node_id").asInt(), requestId);
            return Response.ok().build();
        }
        int total = v.path("n_total").asInt();
        boolean fraud = v.path("fraud_detected").asBoolean() || total <= 0;
        String reason = fraud ? String.format(Locale.ROOT, "fraud detected: %d of %d nonces mismatched (p-value %.3g)",
                v.path("n_mismatch").asInt(), total, v.path("p_value").asDouble()) : null;
        if (validations.result(row.get().id(), fraud ? "FRAUD" : "PASSED", reason, total, v.path("n_mismatch").asInt(),
                v.path("p_value").asDouble())) {
            Log.infof("validation of node %d (%s): %s, %d/%d mismatched", row.get().nodeNum(), modelId,
                    fraud ? "FRAUD" : "passed", v.path("n_mismatch").asInt(), total);
        }
        return Response.ok().build();
    }

    @POST
    @Path("{prefix: v1|mlnode/v1}/poc-batches/generated")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "PoC v1 batch (mlnode <= 3.0.12): nonces with their distance")
    public Response generatedV1(byte[] body) {
        JsonNode b = readObject(body);
        JsonNode nonces = b.path("nonces");
        JsonNode dist = b.path("dist");
        if (!nonces.isArray() || !dist.isArray() || nonces.size() != dist.size() || !b.path("block_height").isIntegralNumber()
                || !b.path("node_id").isIntegralNumber()) {
            throw ApiException.badRequest("invalid request body: block_height, node_id, and nonces and dist of equal length are required");
        }
        long[] n = new long[nonces.size()];
        double[] d = new double[dist.size()];
        for (int i = 0; i < n.length; i++) {
            if (!nonces.get(i).isIntegralNumber() || !dist.get(i).isNumber()) {
                throw ApiException.badRequest("invalid request body: nonces must be integers and dist numbers");
            }
            n[i] = nonces.get(i).asLong();
            d[i] = dist.get(i).asDouble();
        }
        store.storeV1(b.path("block_height").asLong(), b.path("node_id").asInt(), n, d);
        return Response.ok().build();
    }

    @POST
    @Path("{prefix: v1|mlnode/v1}/poc-batches/validated")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "PoC v1 validation verdict (acknowledged; v1 verdicts are not used for weights)")
    public Response validatedV1(byte[] body) {
        readObject(body);
        return Response.ok().build();
    }

    private JsonNode readObject(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("invalid request body: expected a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.badRequest("invalid request body: malformed JSON");
        }
    }

    private ApiException reject(String reason, int status, String message) {
        rejected(reason);
        return new ApiException(status, message);
    }

    private void rejected(String reason) {
        Counter.builder("collector.batches.rejected").tag("reason", reason).description("Batches refused, by reason")
                .register(metrics).increment();
    }
}
