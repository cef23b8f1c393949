package io.gonkanode.collector.artifact;

import io.gonkanode.collector.ManualClock;
import io.gonkanode.collector.StubRegistryResource;
import io.gonkanode.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StubRegistryResource.class)
class PrunerTest {

    @Inject
    ManualClock clock;

    @Inject
    Pruner pruner;

    @Inject
    ModelKeys keys;

    @Test
    void artifactsOfTheLastTenStagesAreKept() throws Exception {
        short model = keys.of("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8");
        long base = 5_000_000_000L;
        try (Connection c = PostgresTestResource.current().connect();
             PreparedStatement ps = c.prepareStatement("insert into poc.artifact values (?, ?, ?, 1, '\\x00')")) {
            for (int epoch = 1; epoch <= 12; epoch++) {
                ps.setLong(1, clock.math().pocStart(epoch));
                ps.setShort(2, model);
                ps.setLong(3, base + epoch);
                ps.executeUpdate();
            }
        }
        clock.set(clock.math().pocStart(12) + 1);
        pruner.pruneNow();
        List<Long> left = new ArrayList<>();
        try (Connection c = PostgresTestResource.current().connect();
             ResultSet rs = c.createStatement().executeQuery("select nonce from poc.artifact where nonce > " + base + " order by nonce")) {
            while (rs.next()) {
                left.add(rs.getLong(1) - base);
            }
        }
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), left);
    }
}
