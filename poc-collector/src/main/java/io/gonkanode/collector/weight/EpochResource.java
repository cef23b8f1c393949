package io.gonkanode.collector.weight;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.BlockFollower;
import io.gonkanode.collector.chain.ChainCalls;
import io.gonkanode.collector.chain.ChainParticipants;
import io.gonkanode.collector.chain.EpochClock;
import io.gonkanode.collector.chain.EpochMath;
import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.common.rest.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The epoch read API in upstream's shapes ({@code /v1/epochs/latest}, {@code /v1/epochs/{n|current}/participants});
 * api-node serves it publicly. Following a chain node, the participants are the chain's record with its proof,
 * block and validators; without one, this host alone with its locally computed weights (fields only a chain
 * can give are left out).
 */
@Path("/v1/epochs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Epochs")
public class EpochResource {

    static final String NO_PARTICIPANTS = "No active participants found for the specified epoch. Looks like PoC failed!";

    private final EpochClock clock;
    private final WeightService weights;
    private final Optional<Account> account;
    private final CollectorConfig config;
    private final ObjectMapper json;
    private final BlockFollower chain;
    private final ChainParticipants participants;

    public EpochResource(EpochClock clock, WeightService weights, Optional<Account> account, CollectorConfig config,
                         ObjectMapper json, BlockFollower chain, ChainParticipants participants) {
        this.chain = chain;
        this.participants = participants;
        this.clock = clock;
        this.weights = weights;
        this.account = account;
        this.config = config;
        this.json = json;
    }

    @GET
    @Path("latest")
    @Operation(summary = "Current height, latest epoch, phase and stage heights (upstream /v1/epochs/latest)")
    public ObjectNode latest() {
        long height = clock.height();
        EpochMath math = clock.math();
        long n = math.latestEpoch(height);
        ObjectNode out = json.createObjectNode();
        out.put("block_height", height);
        ObjectNode latest = out.putObject("latest_epoch");
        if (n > 0) {
            latest.put("index", n);
            latest.put("poc_start_block_height", math.pocStart(n));
        }
        out.put("phase", math.phase(height).name());
        out.set("epoch_stages", json.valueToTree(math.stages(n)));
        out.set("next_epoch_stages", json.valueToTree(math.stages(n + 1)));
        out.set("epoch_params", json.valueToTree(math.params()));
        var info = chain.enabled() ? chain.epochInfo().orElse(null) : null;
        boolean cpoc = info != null && info.getIsConfirmationPocActive();
        out.put("is_confirmation_poc_active", cpoc);
        if (cpoc) {
            var e = info.getActiveConfirmationPocEvent();
            ObjectNode event = out.putObject("active_confirmation_poc_event");
            event.put("epoch_index", e.getEpochIndex()).put("event_sequence", e.getEventSequence())
                    .put("trigger_height", e.getTriggerHeight()).put("generation_start_height", e.getGenerationStartHeight())
                    .put("phase", e.getPhase().name()).put("poc_seed_block_hash", e.getPocSeedBlockHash());
        }
        return out;
    }

    @GET
    @Path("{epoch}")
    @Operation(summary = "Only 'latest' is supported, as upstream")
    public ObjectNode epoch(@PathParam("epoch") String epoch) {
        if ("latest".equals(epoch)) {
            return latest();
        }
        throw ApiException.badRequest("Only getting info for current epoch is supported at the moment");
    }

    @GET
    @Path("{epoch}/participants")
    @Operation(summary = "This host as an active participant of an epoch ('current' or a number)",
            description = "weight = sum over nodes of artifact count x weight_scale_factor; zero for a node whose validation failed.")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "participants", value = """
            {"active_participants": {"participants": [{"index": "gonka1dltwc37njhkapzklt9frfhvlk3lpcfz69faly9", "weight": 6357,
              "inference_url": "http://1.2.3.4:8000", "models": ["Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"],
              "ml_nodes": [{"ml_nodes": [{"node_id": "node1", "poc_weight": 6357}]}]}],
              "epoch_group_id": 42, "poc_start_block_height": 1234560, "effective_block_height": 1234765,
              "created_at_block_height": 1234765, "epoch_id": 42}}""")))
    @APIResponse(responseCode = "400", description = "Epoch 0 or not a number")
    @APIResponse(responseCode = "404", description = "No participants for that epoch (yet)")
    public ObjectNode participants(@PathParam("epoch") String epoch) {
        if (chain.enabled()) {
            return chainParticipants(epoch);
        }
        WeightService.Epoch e = weights.find(resolve(epoch)).filter(w -> w.hostWeight() > 0 && account.isPresent())
                .orElseThrow(() -> new ApiException(404, NO_PARTICIPANTS));
        Map<String, ArrayNode> byModel = new LinkedHashMap<>();
        for (WeightService.NodeWeight w : e.nodes()) {
            if (w.weight() > 0) {
                ObjectNode node = byModel.computeIfAbsent(w.model(), m -> json.createArrayNode()).addObject();
                node.put("node_id", w.nodeId());
                node.put("poc_weight", w.weight());
            }
        }
        ObjectNode out = json.createObjectNode();
        ObjectNode active = out.putObject("active_participants");
        ObjectNode p = active.putArray("participants").addObject();
        p.put("index", account.get().address());
        p.put("weight", e.hostWeight());
        p.put("inference_url", config.network().publicUrl());
        ArrayNode models = p.putArray("models");
        ArrayNode mlNodes = p.putArray("ml_nodes");
        byModel.forEach((model, nodes) -> {
            models.add(model);
            mlNodes.addObject().set("ml_nodes", nodes);
        });
        active.put("epoch_group_id", e.index());
        active.put("poc_start_block_height", e.pocStartBlockHeight());
        active.put("effective_block_height", e.effectiveBlockHeight());
        active.put("created_at_block_height", e.createdAtBlockHeight());
        active.put("epoch_id", e.index());
        return out;
    }

    /** Upstream's answer from the chain's ActiveParticipants record; 400 for epoch 0 (also when {@code current} is 0). */
    private ObjectNode chainParticipants(String epoch) {
        long n = "current".equals(epoch) ? ChainCalls.answer(participants::currentEpoch) : number(epoch);
        if (n == 0) {
            throw ApiException.badRequest("Epoch enumeration starts with 1");
        }
        return ChainCalls.answer(() -> participants.of(n)).orElseThrow(() -> new ApiException(404, NO_PARTICIPANTS));
    }

    @GET
    @Path("{epoch}/weights")
    @Operation(summary = "Per node: artifacts, weight, validation status and reason (not in upstream)")
    public ObjectNode weights(@PathParam("epoch") String epoch) {
        WeightService.Epoch e = weights.find(resolve(epoch))
                .orElseThrow(() -> new ApiException(404, "no weights for that epoch yet"));
        ObjectNode out = json.createObjectNode();
        out.put("epoch_id", e.index());
        out.put("poc_start_block_height", e.pocStartBlockHeight());
        out.put("effective_block_height", e.effectiveBlockHeight());
        out.put("host_weight", e.hostWeight());
        out.put("computed_at", e.computedAt().toString());
        out.set("nodes", json.valueToTree(e.nodes()));
        return out;
    }

    /** {@code current} (the epoch in force) or a number; epoch 0 is refused as upstream does. */
    long resolve(String epoch) {
        if ("current".equals(epoch)) {
            long n = clock.math().effectiveEpoch(clock.height());
            if (n == 0) {
                throw new ApiException(404, NO_PARTICIPANTS);
            }
            return n;
        }
        long n = number(epoch);
        if (n == 0) {
            throw ApiException.badRequest("Epoch enumeration starts with 1");
        }
        return n;
    }

    private static long number(String epoch) {
        try {
            return Long.parseUnsignedLong(epoch);
        } catch (NumberFormatException ex) {
            throw ApiException.badRequest("Invalid epoch id");
        }
    }
}
