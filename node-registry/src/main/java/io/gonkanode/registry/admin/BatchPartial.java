package io.gonkanode.registry.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** The 206 answer of a batch where some nodes failed: {@code {"nodes": [...], "errors": [...]}}. */
@RegisterForReflection
public record BatchPartial(List<NodeView> nodes, List<String> errors) {

    /** The nested error object of the all-failed 400: {@code {"error": "all nodes failed validation", "errors": [...]}}. */
    @RegisterForReflection
    public record AllFailed(String error, List<String> errors) {
    }
}
