package io.gonkanode.common.rest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The gonka error envelope: {@code {"error": <message or object>}}. */
@RegisterForReflection
public record ErrorBody(Object error) {

    public static ErrorBody of(Object error) {
        return new ErrorBody(error);
    }
}
