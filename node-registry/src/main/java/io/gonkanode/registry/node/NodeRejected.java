package io.gonkanode.registry.node;

import java.util.List;

/** A node definition that failed validation; {@link #update} says whether it targeted an existing node. */
public class NodeRejected extends RuntimeException {

    private final boolean update;
    private final List<String> problems;

    public NodeRejected(boolean update, List<String> problems) {
        super(String.join("; ", problems));
        this.update = update;
        this.problems = List.copyOf(problems);
    }

    public boolean update() {
        return update;
    }

    public List<String> problems() {
        return problems;
    }

    /** Upstream's wording: {@code failed to create node: validation failed: a; b}. */
    public String describe() {
        return (update ? "failed to update node: " : "failed to create node: ") + "validation failed: "
                + String.join("; ", problems);
    }
}
