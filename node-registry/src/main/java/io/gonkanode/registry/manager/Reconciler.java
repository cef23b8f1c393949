package io.gonkanode.registry.manager;

import io.gonkanode.registry.node.NodeStatus;
import io.gonkanode.registry.node.PocStatus;

import java.util.Objects;

/**
 * The node manager's decisions, free of I/O: the status to report for what a poll saw, and the one
 * command that moves a node toward its target.
 */
public final class Reconciler {

    private Reconciler() {
    }

    /** The next command for a node, or NONE. */
    public enum Action { NONE, BRING_UP, START_GENERATION, RESTART_GENERATION, STOP_GENERATION }

    public static Action decide(Target target, Observation seen) {
        if (target.mode() == Target.Mode.LEAVE || seen == null || !seen.reachable()) {
            return Action.NONE;
        }
        if (target.mode() == Target.Mode.QUIESCE) {
            return seen.generating() ? Action.STOP_GENERATION : Action.NONE;
        }
        if (!seen.serves(target.model())) {
            return Action.BRING_UP;
        }
        if (target.mode() == Target.Mode.GENERATE) {
            if (!seen.generating() || "MIXED".equals(seen.pocStatus())) {
                return seen.generatingHeight() != null && seen.generatingHeight() != target.poc().blockHeight()
                        ? Action.RESTART_GENERATION : Action.START_GENERATION;
            }
            return Objects.equals(seen.generatingHeight(), target.poc().blockHeight()) || seen.generatingHeight() == null
                    ? Action.NONE : Action.RESTART_GENERATION;
        }
        return seen.generating() ? Action.STOP_GENERATION : Action.NONE;
    }

    /** Upstream statuses for what a poll saw. */
    public record Status(NodeStatus current, PocStatus poc, String failureReason) {
    }

    /**
     * The status a poll shows, as upstream maps it (unreachable → FAILED, PoC running inside vLLM → POC,
     * INFERENCE but unhealthy or serving another model → FAILED). While inference/up is in flight an
     * unhealthy node is loading, not failed, so the previous status stands.
     */
    public static Status status(Observation seen, String expectedModel, boolean loading, Status previous) {
        if (!seen.reachable()) {
            return new Status(NodeStatus.FAILED, PocStatus.IDLE, "ML node unreachable: " + seen.error());
        }
        switch (String.valueOf(seen.state())) {
            case "STOPPED":
                return new Status(NodeStatus.STOPPED, PocStatus.IDLE, "");
            case "POW":
                return new Status(NodeStatus.POC, PocStatus.GENERATING, "");
            case "INFERENCE":
                if (seen.generating()) {
                    return new Status(NodeStatus.POC, PocStatus.GENERATING, "");
                }
                if ("VALIDATING".equals(seen.pocStatus())) {
                    return new Status(NodeStatus.POC, PocStatus.VALIDATING, "");
                }
                if (!seen.inferenceHealthy()) {
                    return loading ? previous : new Status(NodeStatus.FAILED, PocStatus.IDLE,
                            "inference unhealthy: /health answered " + (seen.healthStatus() == 0 ? "nothing" : seen.healthStatus()));
                }
                if (expectedModel != null && seen.loadedModel() != null && !expectedModel.equals(seen.loadedModel())) {
                    return loading ? previous : new Status(NodeStatus.FAILED, PocStatus.IDLE,
                            "serves " + seen.loadedModel() + ", expected " + expectedModel);
                }
                return new Status(NodeStatus.INFERENCE, PocStatus.IDLE, "");
            default:
                return new Status(NodeStatus.FAILED, PocStatus.IDLE, "unexpected ML node state " + seen.state());
        }
    }
}
