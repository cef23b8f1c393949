package io.gonkanode.collector.chain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.collector.proto.EpochGroupData;
import io.gonkanode.collector.proto.Model;
import io.gonkanode.collector.proto.QueryCurrentEpochGroupDataResponse;
import io.gonkanode.collector.proto.QueryGetEpochGroupDataRequest;
import io.gonkanode.collector.proto.QueryGetEpochGroupDataResponse;
import io.gonkanode.collector.proto.QueryModelsAllResponse;
import io.gonkanode.common.rest.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/**
 * The chain's status ({@code /v1/chain/status}, ours) and its models as upstream's public API shows them (network node §3.2, v0.2.14): {@code /v1/models} lists the
 * current epoch's models (each sub-group's model snapshot) as an OpenAI-style list, {@code /v1/governance/models}
 * every governance model ({@code ModelsAll}) in the chain's own fields. api-node serves both publicly; without a
 * chain node they answer 404 and api-node lists the models its ML nodes serve.
 */
@Path("/") // not "/v1": a class at /v1 would shadow the legacy callbacks under "/" (JAX-RS matches classes first)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Chain")
public class ChainReadResource {

    static final String NO_CHAIN = "poc-collector does not follow a chain node (DAPI_CHAIN_NODE__URL is not set)";

    private final BlockFollower chain;
    private final java.util.Optional<io.gonkanode.collector.account.Account> account;

    public ChainReadResource(BlockFollower chain, java.util.Optional<io.gonkanode.collector.account.Account> account) {
        this.chain = chain;
        this.account = account;
    }

    @GET
    @Path("v1/chain/status")
    @Operation(summary = "Whether this host follows a chain node, and how well (not in upstream)",
            description = "sync: LIVE, CATCHING_UP, STALE (no block for GONKA_CHAIN_STALE_AFTER), UNREACHABLE or NOT_STARTED, "
                    + "with the reason while the round's work pauses")
    public ObjectNode status() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("following", chain.enabled());
        account.ifPresent(a -> out.put("account", a.address()));
        if (!chain.enabled()) {
            return out.put("reason", NO_CHAIN);
        }
        chain.rpc().ifPresent(rpc -> out.put("node_url", rpc.endpoint().toString()));
        out.put("network", chain.network()).put("sync", chain.sync().name());
        chain.paused().ifPresent(reason -> out.put("reason", reason));
        return out.put("processed_height", chain.processed()).put("latest_height", chain.latestHeight());
    }

    @GET
    @Path("v1/models")
    @Operation(summary = "The current epoch's models (upstream v0.2.14 /v1/models)")
    public ObjectNode models() {
        ChainRpc rpc = rpc();
        return ChainCalls.answer(() -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("object", "list");
            ArrayNode data = out.putArray("data");
            EpochGroupData parent;
            try {
                parent = QueryCurrentEpochGroupDataResponse.parseFrom(rpc.query("/inference.inference.Query/CurrentEpochGroupData",
                        new byte[0])).getEpochGroupData();
            } catch (ChainRpc.ChainError e) {
                return out; // no epoch group yet (the chain's first epoch has not begun): no model is served
            }
            long created = Instant.now().getEpochSecond();
            for (String id : parent.getSubGroupModelsList()) {
                QueryGetEpochGroupDataResponse sub;
                try {
                    sub = QueryGetEpochGroupDataResponse.parseFrom(rpc.query("/inference.inference.Query/EpochGroupData",
                            QueryGetEpochGroupDataRequest.newBuilder().setEpochIndex(parent.getEpochIndex()).setModelId(id).build().toByteArray()));
                } catch (ChainRpc.ChainError e) {
                    continue; // listed but absent: left out, as upstream
                }
                if (!sub.getEpochGroupData().hasModelSnapshot()) {
                    continue;
                }
                Model m = sub.getEpochGroupData().getModelSnapshot();
                ObjectNode d = data.addObject();
                d.put("object", "model").put("id", m.getId());
                if (!m.getHfRepo().isEmpty()) {
                    d.put("hugging_face_id", m.getHfRepo());
                }
                d.put("name", m.getId()).put("created", created);
                d.putArray("input_modalities").add("text");
                d.putArray("output_modalities").add("text");
                d.put("context_length", m.getContextWindow()).put("max_output_length", m.getContextWindow());
            }
            return out;
        });
    }

    @GET
    @Path("v1/governance/models")
    @Operation(summary = "Every governance model (upstream /v1/governance/models)")
    public ObjectNode governanceModels() {
        ChainRpc rpc = rpc();
        List<Model> models = ChainCalls.answer(() -> QueryModelsAllResponse.parseFrom(
                rpc.query("/inference.inference.Query/ModelsAll", new byte[0])).getModelList());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode list = out.putArray("models");
        models.forEach(m -> list.add(GoJson.of(m)));
        return out;
    }

    @GET
    @Path("v1/chain/upgrade-plan")
    @Operation(summary = "The MLNode version upgrade the chain has scheduled, if any (not in upstream's public API)",
            description = "From PartialUpgradeAll, as upstream's api keeps its upgrade plan: {\"plan\": {\"name\", \"height\", "
                    + "\"node_version\"}} or {\"plan\": null}. node-registry's GET /admin/v1/nodes/upgrade-status asks here.")
    public ObjectNode upgradePlan() {
        ChainRpc rpc = rpc();
        java.util.Optional<UpgradePlans.Plan> plan = ChainCalls.answer(() -> UpgradePlans.of(UpgradePlans.all(rpc)));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (plan.isEmpty()) {
            out.putNull("plan");
            return out;
        }
        out.putObject("plan").put("name", plan.get().name()).put("height", plan.get().height())
                .put("node_version", plan.get().nodeVersion());
        return out;
    }

    private ChainRpc rpc() {
        if (!chain.enabled()) {
            throw ApiException.notFound(NO_CHAIN);
        }
        return chain.rpc().orElseThrow(() -> new ApiException(503, "not connected to the chain node yet, try again shortly"));
    }
}
