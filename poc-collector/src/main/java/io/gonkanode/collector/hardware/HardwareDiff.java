package io.gonkanode.collector.hardware;

import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.BlockFollower;
import io.gonkanode.collector.proto.QueryHardwareNodesRequest;
import io.gonkanode.collector.proto.QueryHardwareNodesResponse;
import io.gonkanode.collector.registry.NodeDirectory;
import io.gonkanode.collector.registry.NodeInfo;
import io.gonkanode.collector.tx.TxQueue;
import io.gonkanode.collector.tx.TxSender;
import io.gonkanode.protocol.proto.inference.Hardware;
import io.gonkanode.protocol.proto.inference.HardwareNode;
import io.gonkanode.protocol.proto.inference.HardwareNodeStatus;
import io.gonkanode.protocol.proto.inference.MsgSubmitHardwareDiff;
import io.gonkanode.protocol.tx.TypeUrls;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The chain's record of this host's ML nodes kept current (writes spec §3.7): every minute the registry's nodes are
 * compared with the chain's {@code HardwareNodes}; a node that is new or differs in status, hardware, models (the
 * governance PoC models it serves, sorted) or version goes in {@code newOrModified}, one the chain lists but the
 * registry no longer has in {@code removed}, and a {@code MsgSubmitHardwareDiff} is queued when either is non-empty
 * and no earlier one is still on its way.
 */
@ApplicationScoped
public class HardwareDiff {

    private final BlockFollower follower;
    private final TxSender sender;
    private final TxQueue queue;
    private final NodeDirectory nodes;
    private final Optional<Account> account;

    public HardwareDiff(BlockFollower follower, TxSender sender, TxQueue queue, NodeDirectory nodes, Optional<Account> account) {
        this.follower = follower;
        this.sender = sender;
        this.queue = queue;
        this.nodes = nodes;
        this.account = account;
    }

    @Scheduled(every = "${gonka.chain.hardware-interval:60s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!sender.enabled() || follower.paused().isPresent() || !nodes.loaded() || queue.summary("hardware:").open() > 0) {
            return;
        }
        try {
            List<HardwareNode> onChain = QueryHardwareNodesResponse.parseFrom(follower.rpc().orElseThrow().query(
                    "/inference.inference.Query/HardwareNodes", QueryHardwareNodesRequest.newBuilder()
                            .setParticipant(account.get().address()).build().toByteArray())).getNodes().getHardwareNodesList();
            Set<String> pocModels = new HashSet<>(follower.facts().map(f -> f.seqLens().keySet()).orElse(Set.of()));
            MsgSubmitHardwareDiff diff = diff(account.get().address(), local(nodes.sorted(), pocModels), onChain);
            if (diff.getNewOrModifiedCount() + diff.getRemovedCount() == 0) {
                return;
            }
            String purpose = "hardware:" + System.currentTimeMillis();
            queue.enqueue(purpose, TypeUrls.SUBMIT_HARDWARE_DIFF, diff, follower.latestHeight() + TxQueue.DEADLINE_BLOCKS);
            Log.infof("%s: %d new or changed, %d removed", purpose, diff.getNewOrModifiedCount(), diff.getRemovedCount());
        } catch (IOException e) {
            Log.debugf("hardware diff: the chain node did not answer: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The registry's nodes as the chain records them. */
    static List<HardwareNode> local(List<NodeInfo> registered, Set<String> pocModels) {
        List<HardwareNode> out = new ArrayList<>();
        for (NodeInfo n : registered) {
            List<String> models = n.models().stream().filter(pocModels::contains).sorted().toList();
            HardwareNode.Builder b = HardwareNode.newBuilder().setLocalId(n.id()).setStatus(status(n)).addAllModels(models)
                    .setHost(n.host()).setPort(Integer.toString(n.pocPort())).setVersion(n.version());
            n.hardware().forEach(h -> b.addHardware(Hardware.newBuilder().setType(h.type()).setCount((int) h.count())));
            out.add(b.build());
        }
        return out;
    }

    /** Upstream's comparison: by local id, on status, hardware, sorted models and version. */
    static MsgSubmitHardwareDiff diff(String creator, List<HardwareNode> local, List<HardwareNode> onChain) {
        Map<String, HardwareNode> chain = new HashMap<>();
        onChain.forEach(n -> chain.put(n.getLocalId(), n));
        MsgSubmitHardwareDiff.Builder diff = MsgSubmitHardwareDiff.newBuilder().setCreator(creator);
        Set<String> here = new HashSet<>();
        for (HardwareNode n : local) {
            here.add(n.getLocalId());
            HardwareNode c = chain.get(n.getLocalId());
            if (c == null || c.getStatus() != n.getStatus() || !c.getHardwareList().equals(n.getHardwareList())
                    || !c.getModelsList().stream().sorted().toList().equals(n.getModelsList()) || !c.getVersion().equals(n.getVersion())) {
                diff.addNewOrModified(n);
            }
        }
        onChain.stream().filter(n -> !here.contains(n.getLocalId())).forEach(diff::addRemoved);
        return diff.build();
    }

    private static HardwareNodeStatus status(NodeInfo n) {
        return switch (n.status()) {
            case INFERENCE -> HardwareNodeStatus.INFERENCE;
            case POC -> HardwareNodeStatus.POC;
            case TRAINING -> HardwareNodeStatus.TRAINING;
            case STOPPED -> HardwareNodeStatus.STOPPED;
            case FAILED -> HardwareNodeStatus.FAILED;
            case UNKNOWN -> HardwareNodeStatus.UNKNOWN;
        };
    }
}
