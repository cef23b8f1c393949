package io.gonkanode.registry.round;

import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.common.rest.ApiException;
import io.gonkanode.registry.web.JsonBodies;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /internal/v1/round}: poc-collector tells the registry which PoC round is on (epoch, phase,
 * stage height and block hash, per model its PoC params); the node manager drives the nodes by it.
 */
@Path("/internal/v1/round")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal")
public class RoundResource {

    static final String EXAMPLE = """
            {"epoch": 42, "phase": "GENERATE", "poc_start_block_height": 1234560,
             "block_hash": "8E5C2F0C9B3A4D1E7F6A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E",
             "models": {"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8": {"seq_len": 1024}}}""";

    private final RoundService rounds;

    public RoundResource(RoundService rounds) {
        this.rounds = rounds;
    }

    /** The round as stored, with the node_count fixed for its generation. */
    @RegisterForReflection
    public record RoundView(long epoch, RoundService.Phase phase, long pocStartBlockHeight, String blockHash,
                            Map<String, Round.PocModel> models, boolean pocStrongerRng, String mlnodeVersion, int nodeCount,
                            Instant updatedAt) {

        static RoundView of(Round r) {
            return new RoundView(r.epoch, r.phase, r.pocStartBlockHeight, r.blockHash, r.models, r.pocStrongerRng, r.mlnodeVersion,
                    r.nodeCount, r.updatedAt);
        }
    }

    @GET
    @Operation(summary = "The current PoC round")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RoundView.class)))
    @APIResponse(responseCode = "404", description = "No round announced yet")
    public RoundView get() {
        return rounds.current().map(RoundView::of).orElseThrow(() -> ApiException.notFound("no round announced yet"));
    }

    @PUT
    @Operation(summary = "Announce the current PoC round (idempotent)",
            description = "Phase GENERATE makes every operational node generate artifacts for the stage; VALIDATE stops "
                    + "generation; INFERENCE serves inference only. Nodes registered or enabled during the round's epoch sit it out.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "generate", value = EXAMPLE)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RoundView.class)))
    @APIResponse(responseCode = "400", description = "Invalid round; every problem is listed")
    public RoundView put(@HeaderParam("Content-Type") String contentType, byte[] body) {
        return RoundView.of(rounds.announce(read(JsonBodies.read(contentType, body))));
    }

    static RoundService.Announcement read(JsonNode json) {
        List<String> problems = new ArrayList<>();
        if (!json.isObject()) {
            throw ApiException.badRequest("invalid round: expected a JSON object");
        }
        long epoch = nonNegative(json, "epoch", problems);
        long height = nonNegative(json, "poc_start_block_height", problems);
        RoundService.Phase phase = null;
        JsonNode p = json.get("phase");
        if (p == null || !p.isTextual()) {
            problems.add("phase must be one of GENERATE, VALIDATE, INFERENCE");
        } else {
            try {
                phase = RoundService.Phase.valueOf(p.textValue().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("phase must be one of GENERATE, VALIDATE, INFERENCE, got '" + p.textValue() + "'");
            }
        }
        JsonNode h = json.get("block_hash");
        String hash = h != null && h.isTextual() ? h.textValue() : null;
        if (hash == null || hash.isBlank() || hash.length() > 128 || !hash.matches("[0-9A-Fa-f]+")) {
            problems.add("block_hash must be a hex string");
        }
        Map<String, Round.PocModel> models = new LinkedHashMap<>();
        JsonNode m = json.get("models");
        if (m == null || !m.isObject()) {
            problems.add("models must be an object {\"<model id>\": {\"seq_len\": <int>}}");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode seq = e.getValue().get("seq_len");
                List<String> args = null;
                JsonNode a = e.getValue().get("model_args");
                if (a != null && !a.isNull()) {
                    args = new ArrayList<>();
                    boolean ok = a.isArray();
                    for (JsonNode arg : a) {
                        ok &= arg.isTextual();
                        args.add(arg.asText());
                    }
                    if (!ok) {
                        problems.add("models." + e.getKey() + ".model_args must be a list of strings");
                    }
                }
                if (seq == null || !seq.isIntegralNumber() || seq.intValue() <= 0) {
                    problems.add("models." + e.getKey() + ".seq_len must be a positive integer");
                } else {
                    models.put(e.getKey(), new Round.PocModel(seq.intValue(), args));
                }
            }
            if (phase == RoundService.Phase.GENERATE && m.isEmpty()) {
                problems.add("a GENERATE round needs at least one model");
            }
        }
        JsonNode rng = json.get("poc_stronger_rng");
        if (rng != null && !rng.isNull() && !rng.isBoolean()) {
            problems.add("poc_stronger_rng must be true or false");
        }
        JsonNode v = json.get("mlnode_version");
        String version = v == null || v.isNull() ? "" : v.asText();
        if (v != null && !v.isNull() && (!v.isTextual() || !version.matches("[A-Za-z0-9._-]{0,64}"))) {
            problems.add("mlnode_version must be up to 64 characters of A-Z a-z 0-9 . _ -");
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid round: " + String.join("; ", problems));
        }
        // as sent: a regular stage's hash is upper-case, a confirmation PoC's seed lower-case, and ML nodes need it unchanged
        return new RoundService.Announcement(epoch, phase, height, hash, models,
                rng != null && rng.asBoolean(), version);
    }

    private static long nonNegative(JsonNode json, String field, List<String> problems) {
        JsonNode v = json.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            problems.add(field + " must be a non-negative integer");
            return 0;
        }
        return v.longValue();
    }
}
