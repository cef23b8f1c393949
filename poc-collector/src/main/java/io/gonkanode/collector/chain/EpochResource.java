package io.gonkanode.collector.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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


/**
 * The epoch read API in upstream's shapes ({@code /v1/epochs/latest}, {@code /v1/epochs/{n|current}/participants});
 * api-node serves it publicly. The stage heights come from the chain's EpochInfo and EpochParams; the participants
 * are the chain's ActiveParticipants record with its proof, block and validators.
 */
@Path("/v1/epochs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Epochs")
public class EpochResource {

    static final String NO_PARTICIPANTS = "No active participants found for the specified epoch. Looks like PoC failed!";

    private final EpochClock clock;
    private final ObjectMapper json;
    private final BlockFollower chain;
    private final ChainParticipants participants;

    public EpochResource(EpochClock clock, ObjectMapper json, BlockFollower chain, ChainParticipants participants) {
        this.chain = chain;
        this.participants = participants;
        this.clock = clock;
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
        var info = chain.epochInfo().orElse(null);
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
    @Operation(summary = "The chain's active participants of an epoch ('current' or a number), as upstream",
            description = "The chain's ActiveParticipants record with its bytes, proof ops, validators and block; each participant's "
                    + "weight and each ML node's poc_weight are what the chain settled from the commitments and votes.")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "participants", value = """
            {"active_participants": {"participants": [{"index": "gonka1dltwc37njhkapzklt9frfhvlk3lpcfz69faly9", "weight": 6357,
              "inference_url": "http://1.2.3.4:8000", "models": ["Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"],
              "ml_nodes": [{"ml_nodes": [{"node_id": "node1", "poc_weight": 6357}]}]}],
              "epoch_group_id": 42, "poc_start_block_height": 1234560, "effective_block_height": 1234765,
              "created_at_block_height": 1234765, "epoch_id": 42}}""")))
    @APIResponse(responseCode = "400", description = "Epoch 0 or not a number")
    @APIResponse(responseCode = "404", description = "No participants for that epoch (yet)")
    public ObjectNode participants(@PathParam("epoch") String epoch) {
        long n = "current".equals(epoch) ? ChainCalls.answer(participants::currentEpoch) : number(epoch);
        if (n == 0) {
            throw ApiException.badRequest("Epoch enumeration starts with 1");
        }
        return ChainCalls.answer(() -> participants.of(n)).orElseThrow(() -> new ApiException(404, NO_PARTICIPANTS));
    }

    private static long number(String epoch) {
        try {
            return Long.parseUnsignedLong(epoch);
        } catch (NumberFormatException ex) {
            throw ApiException.badRequest("Invalid epoch id");
        }
    }
}
