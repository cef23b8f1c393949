package io.gonkanode.registry.manager;

import io.gonkanode.registry.round.RoundService.Phase;

/**
 * Upstream's {@code ShouldBeOperational} (spec §1.8), with {@code latest} the epoch of the current round
 * (it increments when PoC starts) and {@code adminEpoch} the epoch at the node's last enable/disable or
 * registration: a node registered or enabled during a PoC sits that round out; a disabled node keeps
 * serving until the next PoC starts.
 */
public final class Operational {

    private Operational() {
    }

    public static boolean operational(boolean enabled, long adminEpoch, long latestEpoch, Phase phase) {
        if (enabled) {
            return latestEpoch > adminEpoch || phase == null || phase == Phase.INFERENCE;
        }
        return adminEpoch >= latestEpoch;
    }
}
