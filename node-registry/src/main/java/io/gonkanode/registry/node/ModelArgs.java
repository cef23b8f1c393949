package io.gonkanode.registry.node;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** The value of one entry of a node's {@code models} map: extra vLLM arguments for that model. */
@RegisterForReflection
public record ModelArgs(List<String> args) {

    public ModelArgs {
        args = args == null ? List.of() : List.copyOf(args);
    }
}
