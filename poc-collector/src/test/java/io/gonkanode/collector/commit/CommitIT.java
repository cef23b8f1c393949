package io.gonkanode.collector.commit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.collector.ChainHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static io.gonkanode.collector.ChainHost.QWEN;
import static io.gonkanode.collector.ChainHost.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PoC v2 commitments on chain-sim: artifacts posted by two ML nodes during epoch 1's generation are committed as they
 * grow, each commit's root the SMST of exactly the artifacts stored before it (a resent batch counts once); a collector
 * killed between two commits rebuilds its tree from PostgreSQL and commits the right root; once the window closes, the
 * weight distribution splits the included count over the nodes, under their registry ids, and sums to it.
 */
class CommitIT {

    @TempDir
    Path dir;

    @Test
    void commitsFollowTheStoreAndTheDistributionSplitsTheIncludedCount() throws Exception {
        try (ChainHost host = new ChainHost(dir, Map.of(), Map.of("GONKA_CHAIN_HARDWARE_INTERVAL", "1s"))) {
            host.stepTo(21); // epoch 1's PoC start is 20; its commit window [21, 40]
            host.awaitProcessed(21);

            host.post(20, 1, batch(0, 120));
            assertEquals(root(host, 120), awaitIncludedCommit(host, 120), "the root of the 120 stored artifacts");

            // node 2 posts, node 1 resends a batch whose answer it missed: only the new artifacts count
            host.post(20, 2, batch(5_000, 80));
            host.post(20, 1, batch(0, 40));
            assertEquals(root(host, 200), awaitIncludedCommit(host, 200));

            // killed between commits: the tree comes back from PostgreSQL
            host.collector.kill();
            host.collector.start(Duration.ofSeconds(60));
            host.post(20, 2, batch(9_000, 50));
            assertEquals(root(host, 250), awaitIncludedCommit(host, 250));

            // the round on /q/metrics: artifacts per node under its registry id, the count committed and included
            String quoted = "model=\"" + QWEN + "\"";
            awaitMetrics(host, "gonka_poc_stage_height 20.0", "gonka_poc_commit_window_open 1.0",
                    "gonka_poc_artifacts{" + quoted + ",node=\"gpu-a\"} 120.0", "gonka_poc_artifacts{" + quoted + ",node=\"gpu-b\"} 130.0",
                    "gonka_poc_committed_artifacts{" + quoted + "} 250.0", "gonka_poc_included_artifacts{" + quoted + "} 250.0",
                    "gonka_poc_validations{status=\"pending\"} 0.0",
                    "gonka_chain_txs_total{outcome=\"failed\",type=\"MsgPoCV2StoreCommit\"} 0.0",
                    "gonka_chain_txs_open{type=\"MsgPoCV2StoreCommit\"} 0.0");
            assertTrue(host.get(host.collector.url() + "/q/metrics").body()
                    .matches("(?s).*gonka_chain_txs_total\\{outcome=\"included\",type=\"MsgPoCV2StoreCommit\"} [1-9].*"));

            // the window closes at 40: the distribution follows, summing to the included count
            host.stepTo(41);
            awaitMetrics(host, "gonka_poc_commit_window_open 0.0", "gonka_poc_stage_height 20.0");
            JsonNode distribution = host.awaitOnChain("distribution:", t -> t.toString().contains("MsgMLNodeWeightDistribution"));
            JsonNode entry = distribution.findValue("entries").get(0);
            assertEquals(QWEN, entry.path("model_id").asText());
            assertEquals(120, weightOf(entry, "gpu-a"), distribution.toString());
            assertEquals(130, weightOf(entry, "gpu-b"), distribution.toString());

            // the chain learned this host's nodes from the registry
            JsonNode hardware = host.awaitOnChain("hardware:", t -> t.toString().contains("MsgSubmitHardwareDiff"));
            assertEquals(2, hardware.findValue("newOrModified").size(), hardware.toString());
            assertEquals("gpu-a", hardware.findValue("newOrModified").get(0).path("local_id").asText(), hardware.toString());
        }
    }

    /** Waits until the collector's /q/metrics has every line (its PoC metrics refresh every 5 s). */
    static void awaitMetrics(ChainHost host, String... lines) {
        String[] last = {""};
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                last[0] = host.get(host.collector.url() + "/q/metrics").body();
                return java.util.Arrays.stream(lines).allMatch(l -> last[0].contains("\n" + l + "\n"));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("missing from /q/metrics: " + java.util.Arrays.stream(lines)
                    .filter(l -> !last[0].contains("\n" + l + "\n")).toList() + "\n" + last[0], e);
        }
    }

    @Test
    void whatCameInSinceTheLastIntervalIsCommittedAsTheWindowCloses() throws Exception {
        try (ChainHost host = new ChainHost(dir, Map.of(), Map.of("GONKA_POC_COMMIT_INTERVAL", "1h"))) {
            host.stepTo(21);
            host.awaitProcessed(21);
            host.post(20, 1, batch(0, 100));
            awaitIncludedCommit(host, 100); // the first commit of the window: due at once

            // an hour until the next interval: nothing goes out while the window is open ...
            host.post(20, 2, batch(5_000, 60));
            host.stepTo(36);
            host.awaitProcessed(36);
            assertEquals(1, host.txs().path("txs").findValues("purpose").stream().filter(p -> p.asText().startsWith("commit:")).count(),
                    host.txs().toString());
            // ... until three blocks of it are left: then the 160 go out, and land inside it
            host.stepTo(37);
            assertEquals(root(host, 160), awaitIncludedCommit(host, 160));
        }
    }

    static long weightOf(JsonNode entry, String node) {
        for (JsonNode w : entry.path("weights")) {
            if (w.path("node_id").asText().equals(node)) {
                return w.path("weight").asLong();
            }
        }
        return 0;
    }

    static String root(ChainHost host, int count) {
        return HexFormat.of().formatHex(host.tree(20, count).root());
    }

    /** Blocks until chain-sim included a commit of {@code count} inside the window; its root in hex (chain-sim's log prints bytes so). */
    static String awaitIncludedCommit(ChainHost host, long count) {
        JsonNode tx = host.awaitOnChain("commit:", t -> t.toString().contains("MsgPoCV2StoreCommit")
                && t.findValue("entries").get(0).path("count").asLong() == count);
        assertTrue(tx.path("height").asLong() <= 40, "inside the commit window: " + tx);
        return tx.findValue("entries").get(0).path("root_hash").asText();
    }
}
