package io.gonkanode.registry.manager;

import io.gonkanode.registry.node.NodeStatus;
import io.gonkanode.registry.node.PocStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.gonkanode.registry.manager.Reconciler.Action.BRING_UP;
import static io.gonkanode.registry.manager.Reconciler.Action.NONE;
import static io.gonkanode.registry.manager.Reconciler.Action.RESTART_GENERATION;
import static io.gonkanode.registry.manager.Reconciler.Action.START_GENERATION;
import static io.gonkanode.registry.manager.Reconciler.Action.STOP_GENERATION;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ReconcilerTest {

    static final String M = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final Target.Poc POC = new Target.Poc("AB", 100, "02aa", 1, 3, M, 1024, "http://cb/v2/poc-batches/x", false);

    static Target target(Target.Mode mode) {
        return new Target(mode, M, List.of(), mode == Target.Mode.GENERATE ? POC : null);
    }

    static Observation serving(String pocStatus, Long height) {
        return new Observation(true, null, "INFERENCE", pocStatus, height, true, 200, M, "3.0.14", false, Instant.now());
    }

    static Observation stopped() {
        return new Observation(true, null, "STOPPED", null, null, false, 0, null, "3.0.14", false, Instant.now());
    }

    @Test
    void aStoppedOrWrongOrUnhealthyNodeIsBroughtUp() {
        assertEquals(BRING_UP, Reconciler.decide(target(Target.Mode.INFERENCE), stopped()));
        assertEquals(BRING_UP, Reconciler.decide(target(Target.Mode.INFERENCE),
                new Observation(true, null, "INFERENCE", "IDLE", null, true, 200, "other/model", "", false, Instant.now())));
        assertEquals(BRING_UP, Reconciler.decide(target(Target.Mode.GENERATE),
                new Observation(true, null, "INFERENCE", "IDLE", null, false, 503, M, "", false, Instant.now())));
    }

    @Test
    void anUnreachableNodeOrALeftNodeGetsNothing() {
        assertEquals(NONE, Reconciler.decide(target(Target.Mode.INFERENCE), Observation.unreachable("down", Instant.now())));
        assertEquals(NONE, Reconciler.decide(target(Target.Mode.LEAVE), stopped()));
    }

    @Test
    void generationStartsStopsAndFollowsTheStage() {
        assertEquals(START_GENERATION, Reconciler.decide(target(Target.Mode.GENERATE), serving("IDLE", null)));
        assertEquals(NONE, Reconciler.decide(target(Target.Mode.GENERATE), serving("GENERATING", 100L)));
        assertEquals(RESTART_GENERATION, Reconciler.decide(target(Target.Mode.GENERATE), serving("GENERATING", 99L)));
        assertEquals(START_GENERATION, Reconciler.decide(target(Target.Mode.GENERATE), serving("MIXED", 100L)));
        assertEquals(STOP_GENERATION, Reconciler.decide(target(Target.Mode.VALIDATE), serving("GENERATING", 100L)));
        assertEquals(STOP_GENERATION, Reconciler.decide(target(Target.Mode.INFERENCE), serving("GENERATING", 100L)));
        assertEquals(NONE, Reconciler.decide(target(Target.Mode.VALIDATE), serving("IDLE", null)));
        assertEquals(STOP_GENERATION, Reconciler.decide(target(Target.Mode.QUIESCE), serving("GENERATING", 100L)));
        assertEquals(NONE, Reconciler.decide(target(Target.Mode.QUIESCE), stopped()));
    }

    @Test
    void statusesFollowUpstreamsMapping() {
        Reconciler.Status prev = new Reconciler.Status(NodeStatus.STOPPED, PocStatus.IDLE, "");
        assertEquals(new Reconciler.Status(NodeStatus.INFERENCE, PocStatus.IDLE, ""), Reconciler.status(serving("IDLE", null), M, false, prev));
        assertEquals(new Reconciler.Status(NodeStatus.POC, PocStatus.GENERATING, ""), Reconciler.status(serving("GENERATING", 1L), M, false, prev));
        assertEquals(new Reconciler.Status(NodeStatus.STOPPED, PocStatus.IDLE, ""), Reconciler.status(stopped(), M, false, prev));
        assertEquals(NodeStatus.FAILED, Reconciler.status(Observation.unreachable("x: connection refused", Instant.now()), M, false, prev).current());
        Observation unhealthy = new Observation(true, null, "INFERENCE", "IDLE", null, false, 503, M, "", false, Instant.now());
        assertEquals(new Reconciler.Status(NodeStatus.FAILED, PocStatus.IDLE, "inference unhealthy: /health answered 503"),
                Reconciler.status(unhealthy, M, false, prev));
        assertEquals(prev, Reconciler.status(unhealthy, M, true, prev));
        Observation wrong = new Observation(true, null, "INFERENCE", "IDLE", null, true, 200, "x/y", "", false, Instant.now());
        assertEquals(new Reconciler.Status(NodeStatus.FAILED, PocStatus.IDLE, "serves x/y, expected " + M), Reconciler.status(wrong, M, false, prev));
    }
}
