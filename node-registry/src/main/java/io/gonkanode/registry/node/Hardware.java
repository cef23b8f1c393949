package io.gonkanode.registry.node;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One entry of a node's informational {@code hardware} list, e.g. {@code {"type":"H100","count":8}}. */
@RegisterForReflection
public record Hardware(String type, long count) {
}
