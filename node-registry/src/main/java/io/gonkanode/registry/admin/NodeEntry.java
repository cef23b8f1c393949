package io.gonkanode.registry.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One element of {@code GET /admin/v1/nodes}: {@code {"node": {...}, "state": {...}}}. */
@RegisterForReflection
public record NodeEntry(NodeView node, NodeStateView state) {
}
