package io.gonkanode.registry.node;

/** A node's status as upstream names it (its {@code HardwareNodeStatus}), stored by name. */
public enum NodeStatus {
    UNKNOWN(0), INFERENCE(1), POC(2), TRAINING(3), STOPPED(4), FAILED(5);

    private final int number;

    NodeStatus(int number) {
        this.number = number;
    }

    /** Upstream's number for it, as {@code reconcile_info} shows it. */
    public int number() {
        return number;
    }
}
