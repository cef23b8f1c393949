package io.gonkanode.collector.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.BlockFollower;
import io.gonkanode.collector.chain.ChainRpc;
import io.gonkanode.collector.chain.GoJson;
import io.gonkanode.collector.proto.EpochGroupData;
import io.gonkanode.collector.proto.MLNodeInfo;
import io.gonkanode.collector.proto.ModelPreservedNodes;
import io.gonkanode.collector.proto.ParticipantPreservedNodes;
import io.gonkanode.collector.proto.QueryGetEpochGroupDataRequest;
import io.gonkanode.collector.proto.QueryGetEpochGroupDataResponse;
import io.gonkanode.collector.proto.QueryPreservedNodesSnapshotResponse;
import io.gonkanode.collector.proto.ValidationWeight;
import io.gonkanode.common.QuietWarnings;
import io.gonkanode.common.ShutdownGate;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells node-registry what the chain says about this host's nodes, whenever that changes (checked once per processed
 * block): the governance models with their args ({@code ModelsAll}); each node's assignment in the latest epoch
 * whose group has weight ({@code EpochGroupData}, upstream's {@code UpdateNodeWithEpochData}: per model the epoch's
 * model snapshot and the node's {@code MLNodeInfo} under this host's address — the previous epoch's until the new
 * one has weight); the nodes the chain's {@code PreservedNodesSnapshot} lists under this host's address.
 */
@ApplicationScoped
public class ChainViewAnnouncer {

    private final BlockFollower chain;
    private final Optional<Account> account;
    private final RegistryApi registry;
    private final ShutdownGate gate;
    private final QuietWarnings warnings = new QuietWarnings(ChainViewAnnouncer.class, Duration.ofSeconds(10));
    private long builtAt = -1;
    private ObjectNode acknowledged;

    public ChainViewAnnouncer(BlockFollower chain, Optional<Account> account, @RestClient RegistryApi registry, ShutdownGate gate) {
        this.chain = chain;
        this.account = account;
        this.registry = registry;
        this.gate = gate;
    }

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        gate.run(() -> {
            try {
                if (chain.enabled()) {
                    announce();
                }
            } catch (IOException | RuntimeException e) {
                warnings.warn("chain view not sent to node-registry: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Builds the view at a newly processed block and sends it when it differs from what the registry has. */
    void announce() throws IOException, InterruptedException {
        long processed = chain.processed();
        var facts = chain.facts().orElse(null);
        var rpc = chain.rpc().orElse(null);
        var info = chain.epochInfo().orElse(null);
        if (processed < 0 || facts == null || rpc == null || info == null || chain.paused().isPresent()
                || (processed == builtAt && acknowledged != null)) {
            return;
        }
        ObjectNode view = build(rpc, info.getLatestEpoch().getIndex(), facts.modelArgs());
        builtAt = processed;
        if (view.equals(acknowledged)) {
            return;
        }
        try (Response r = registry.chainView(view)) {
            if (r.getStatus() != 200) {
                warnings.warn("node-registry refused the chain view (" + r.getStatus() + "): " + r.readEntity(String.class));
                return;
            }
        }
        acknowledged = view;
        Log.infof("chain view sent: epoch %d, %d nodes assigned, %d preserved", view.path("epoch").asLong(),
                view.path("epoch_models").size(), view.path("preserved_nodes").size());
    }

    ObjectNode build(ChainRpc rpc, long latest, java.util.Map<String, java.util.List<String>> governance)
            throws IOException, InterruptedException {
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        ObjectNode models = JsonNodeFactory.instance.objectNode();
        governance.forEach((id, args) -> args.forEach(models.putArray(id)::add));
        ObjectNode epochModels = JsonNodeFactory.instance.objectNode();
        ObjectNode epochMlNodes = JsonNodeFactory.instance.objectNode();
        ObjectNode preserved = JsonNodeFactory.instance.objectNode();
        long epoch = latest;
        String me = account.map(Account::address).orElse(null);
        if (me != null) {
            EpochGroupData parent = group(rpc, latest, "");
            if ((parent == null || parent.getSubGroupModelsCount() == 0 || parent.getTotalWeight() == 0) && latest > 1) {
                epoch = latest - 1; // the new epoch's group has no weight yet (its PoC is on): the nodes keep the last one's
                parent = group(rpc, epoch, "");
            }
            for (String model : parent == null ? java.util.List.<String>of() : parent.getSubGroupModelsList()) {
                EpochGroupData sub = group(rpc, epoch, model);
                if (sub == null || !sub.hasModelSnapshot()) {
                    continue;
                }
                for (ValidationWeight w : sub.getValidationWeightsList()) {
                    for (MLNodeInfo node : w.getMemberAddress().equals(me) ? w.getMlNodesList() : java.util.List.<MLNodeInfo>of()) {
                        epochModels.withObjectProperty(node.getNodeId()).set(model, GoJson.of(sub.getModelSnapshot()));
                        epochMlNodes.withObjectProperty(node.getNodeId()).set(model, GoJson.of(node));
                    }
                }
            }
            var snapshot = QueryPreservedNodesSnapshotResponse.parseFrom(rpc.query("/inference.inference.Query/PreservedNodesSnapshot",
                    new byte[0]));
            for (ModelPreservedNodes m : snapshot.getFound() ? snapshot.getSnapshot().getModelPreservedNodesList()
                    : java.util.List.<ModelPreservedNodes>of()) {
                for (ParticipantPreservedNodes p : m.getParticipantsList()) {
                    if (p.getParticipantId().equals(me)) {
                        p.getNodeIdsList().forEach(id -> preserved.withArrayProperty(id).add(m.getModelId()));
                    }
                }
            }
        }
        view.put("epoch", epoch);
        view.set("governance_models", models);
        view.set("epoch_models", epochModels);
        view.set("epoch_ml_nodes", epochMlNodes);
        view.set("preserved_nodes", preserved);
        return view;
    }

    /** An epoch group (the parent for model ""), or null when the chain has none. */
    private static EpochGroupData group(ChainRpc rpc, long epoch, String model) throws IOException, InterruptedException {
        try {
            return QueryGetEpochGroupDataResponse.parseFrom(rpc.query("/inference.inference.Query/EpochGroupData",
                    QueryGetEpochGroupDataRequest.newBuilder().setEpochIndex(epoch).setModelId(model).build().toByteArray()))
                    .getEpochGroupData();
        } catch (ChainRpc.ChainError e) {
            return null;
        }
    }
}
