package io.gonkanode.registry.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Upstream's enable/disable answer: {@code {"message": "node enabled successfully", "node_id": "node1"}}. */
@RegisterForReflection
public record AdminMessage(String message, String nodeId) {
}
