package io.gonkanode.collector.chain;

import io.gonkanode.collector.proto.PartialUpgrade;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Upstream's rules for the upgrade plan from PartialUpgradeAll (chain reads §3.3, dapi upgrade/events.go). */
class UpgradePlansTest {

    static PartialUpgrade upgrade(String name, long height, String nodeVersion, String binariesJson) {
        return PartialUpgrade.newBuilder().setName(name).setHeight(height).setNodeVersion(nodeVersion).setApiBinariesJson(binariesJson).build();
    }

    @Test
    void aNodeVersionAloneIsAPlan() {
        assertEquals(Optional.of(new UpgradePlans.Plan("v3.0.9", 500, "v3.0.9")),
                UpgradePlans.of(List.of(upgrade("v3.0.9", 500, "v3.0.9", ""))));
    }

    @Test
    void binariesCarryTheirOwnNodeVersionAndTheLaterEntryWins() {
        String binaries = "{\"api_binaries\":{\"linux/amd64\":\"https://x/api.zip\"},\"node_version\":\"v3.0.10\"}";
        assertEquals(Optional.of(new UpgradePlans.Plan("b", 900, "v3.0.10")),
                UpgradePlans.of(List.of(upgrade("a", 500, "v3.0.9", ""), upgrade("b", 900, "v3.0.12", binaries))));
    }

    @Test
    void entriesThatAreNoMlNodeUpgradeLeaveNone() {
        // binaries without a node version replace the plan with one that names no version: no MLNode upgrade
        String binariesOnly = "{\"api_binaries\":{\"linux/amd64\":\"https://x/api.zip\"}}";
        assertEquals(Optional.empty(), UpgradePlans.of(List.of(upgrade("a", 500, "v3.0.9", ""), upgrade("b", 900, "", binariesOnly))));
        // unreadable JSON or empty binaries are skipped, as upstream logs and goes on
        assertEquals(Optional.of(new UpgradePlans.Plan("a", 500, "v3.0.9")), UpgradePlans.of(List.of(upgrade("a", 500, "v3.0.9", ""),
                upgrade("b", 900, "v3.0.12", "{not json"), upgrade("c", 950, "v3.0.13", "{\"api_binaries\":{}}"))));
        assertEquals(Optional.empty(), UpgradePlans.of(List.of()));
    }
}
