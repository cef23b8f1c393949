package io.gonkanode.collector.hardware;

import io.gonkanode.collector.registry.NodeInfo;
import io.gonkanode.collector.registry.NodeStatus;
import io.gonkanode.protocol.proto.inference.HardwareNode;
import io.gonkanode.protocol.proto.inference.HardwareNodeStatus;
import io.gonkanode.protocol.proto.inference.MsgSubmitHardwareDiff;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Writes spec §3.7: what the chain is told about this host's nodes. */
class HardwareDiffTest {

    static final String QWEN = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    static NodeInfo node(String id, NodeStatus status, List<String> models, String version) {
        return new NodeInfo(id, 1, "10.0.0.5", 8080, "", true, QWEN, status, true, models,
                List.of(new NodeInfo.Hardware("NVIDIA H100 80GB HBM3 | 80GB", 8)), version);
    }

    @Test
    void newChangedAndRemovedNodesOnlyWithGovernanceModelsSorted() {
        List<HardwareNode> local = HardwareDiff.local(List.of(node("a", NodeStatus.INFERENCE, List.of(QWEN, "my/own-model"), "3.0.14"),
                node("b", NodeStatus.POC, List.of(QWEN), "3.0.14"), node("c", NodeStatus.FAILED, List.of(QWEN), "3.0.14")), Set.of(QWEN));
        assertEquals(List.of(QWEN), local.get(0).getModelsList(), "only the chain's PoC models");
        assertEquals("8080", local.get(0).getPort());
        assertEquals(HardwareNodeStatus.FAILED, local.get(2).getStatus());
        HardwareNode unchanged = local.get(0);
        HardwareNode changed = local.get(1).toBuilder().setStatus(HardwareNodeStatus.INFERENCE).build();
        HardwareNode gone = HardwareNode.newBuilder().setLocalId("old").build();
        MsgSubmitHardwareDiff diff = HardwareDiff.diff("gonka1creator", local, List.of(unchanged, changed, gone));
        assertEquals(List.of("b", "c"), diff.getNewOrModifiedList().stream().map(HardwareNode::getLocalId).toList());
        assertEquals(List.of("old"), diff.getRemovedList().stream().map(HardwareNode::getLocalId).toList());
        assertEquals("gonka1creator", diff.getCreator());
        assertEquals(0, HardwareDiff.diff("x", local, local).getNewOrModifiedCount(), "nothing changed, nothing to send");
    }
}
