package io.gonkanode.collector.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.EpochClock;
import io.gonkanode.collector.chain.EpochMath;
import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.collector.config.PocModels;
import io.gonkanode.collector.registry.NodeDirectory;
import io.gonkanode.common.db.DatabaseErrors;
import io.gonkanode.common.rest.ApiException;
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
    private final Optional<Account> account;
    private final CollectorConfig config;
    private final MeterRegistry metrics;
    private final Counter accepted;
    private final Counter duplicates;
    private final Timer batchTimer;

    public CallbackResource(EpochClock clock, ArtifactStore store, ModelKeys modelKeys, PocModels models,
                            NodeDirectory nodes, Optional<Account> account,
                            CollectorConfig config, MeterRegistry metrics) {
        this.clock = clock;
        this.store = store;
        this.modelKeys = modelKeys;
        this.models = models;
        this.nodes = nodes;
        this.account = account;
        this.config = config;
        this.metrics = metrics;
        this.accepted = Counter.builder("collector.artifacts").tag("outcome", "stored").description("Artifacts stored").register(metrics);
        this.duplicates = Counter.builder("collector.artifacts").tag("outcome", "duplicate").description("Artifacts already stored").register(metrics);
        this.batchTimer = Timer.builder("collector.batch").description("Time to validate and durably store one batch")
                .publishPercentiles(0.5, 0.99).register(metrics);
        for (BatchRejected.Reason reason : BatchRejected.Reason.values()) {
            rejectedCounter(reason); // at 0 from the start, so the first refusal is an increase
        }
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
            String modelId = modelOf(rawModel);
            if (models.get(modelId).isEmpty()) {
                throw new BatchRejected(BatchRejected.Reason.UNKNOWN_MODEL, 400, "unknown model_id: " + modelId + " is not a PoC model of this network");
            }
            long height = clock.height();
            EpochMath math = clock.math();
            long stage;
            String stageHash;
            var cpoc = clock.confirmationPoc().filter(c -> c.acceptsBatches(height));
            if (math.inGenerationWindow(height)) {
                stage = math.pocStart(math.latestEpoch(height));
                stageHash = clock.blockHash(stage);
            } else if (cpoc.isPresent()) {
                // a confirmation PoC: its stage is the trigger height, its seed the event's hash
                stage = cpoc.get().triggerHeight();
                stageHash = cpoc.get().seedHash();
            } else {
                throw new BatchRejected(BatchRejected.Reason.WINDOW, 503, "not in PoC generate phase");
            }
            if (batch.blockHeight() != stage) {
                throw new BatchRejected(BatchRejected.Reason.STAGE, 400, "block_height is not the active PoC stage");
            }
            if (!stageHash.equalsIgnoreCase(batch.blockHash())) {
                throw new BatchRejected(BatchRejected.Reason.BLOCK_HASH, 400, "block_hash is not the hash of the active PoC stage");
            }
            if (account.isPresent() && !account.get().publicKeyHex().equalsIgnoreCase(batch.publicKey())) {
                throw new BatchRejected(BatchRejected.Reason.PUBLIC_KEY, 400, "public_key is not this host's account key");
            }
            if (nodes.byNum(batch.nodeId()).isEmpty()) {
                throw new BatchRejected(BatchRejected.Reason.NODE, 400, "unknown node_num");
            }
            int stored;
            try {
                stored = store.store(stage, modelKeys.of(modelId), batch.nodeId(), batch.nonces(), batch.vectors());
            } catch (RuntimeException e) {
                if (DatabaseErrors.isUnavailable(e)) {
                    throw new BatchRejected(BatchRejected.Reason.STORE, 503, "failed to store artifacts: database unavailable");
                }
                Log.error("storing a batch failed", e);
                throw new BatchRejected(BatchRejected.Reason.STORE, 503, "failed to store artifacts");
            }
            accepted.increment(stored);
            duplicates.increment(batch.nonces().length - stored);
            Log.debugf("node %d: %d artifacts for stage %d (%s), %d new", batch.nodeId(), batch.nonces().length, stage, modelId, stored);
            return Response.ok().build();
        } catch (BatchRejected e) {
            rejected(e.reason());
            throw e;
        } finally {
            batchTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @POST
    @Path("{prefix: v1|mlnode/v1}/poc-batches/generated")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "PoC v1 batch (mlnode <= 3.0.12): nonces with their distance")
    public Response generatedV1(byte[] body) {
        JsonNode b = CallbackBodies.object(body);
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

    private static String modelOf(String rawModel) {
        try {
            return ModelSegment.decode(rawModel);
        } catch (ApiException e) {
            throw BatchRejected.malformed(e.getMessage());
        }
    }

    private void rejected(BatchRejected.Reason reason) {
        rejectedCounter(reason).increment();
    }

    private Counter rejectedCounter(BatchRejected.Reason reason) {
        return Counter.builder("collector.batches.rejected").tag("reason", reason.tag()).description("Batches refused, by reason")
                .register(metrics);
    }
}
