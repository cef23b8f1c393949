package io.gonkanode.collector.registry;

import java.util.Locale;

/** A node's status as node-registry reports it (upstream's names); anything unexpected reads as UNKNOWN. */
public enum NodeStatus {
    UNKNOWN, INFERENCE, POC, TRAINING, STOPPED, FAILED;

    static NodeStatus of(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
