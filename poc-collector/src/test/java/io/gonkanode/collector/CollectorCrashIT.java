package io.gonkanode.collector;

import io.gonkanode.testing.Http;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.testing.StubRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the packaged collector while three senders post batches the way ML nodes do (resending until
 * they get a 200), in a PoC stage of chain-sim (which makes no block meanwhile, so the window stays open): after the
 * restart every acknowledged artifact is stored exactly once, and the commitment sequence has no gap.
 */
class CollectorCrashIT {

    static final int BATCHES_PER_NODE = 40;
    static final int PER_BATCH = 250;

    @Test
    void everyAcknowledgedArtifactSurvivesAKillAndNoneIsCountedTwice(@TempDir Path dir) throws Exception {
        try (ChainHost host = new ChainHost(dir, Map.of(), Map.of(), List.of(StubRegistry.Node.serving("n1", 1, 1, 2, ChainHost.QWEN),
                StubRegistry.Node.serving("n2", 2, 3, 4, ChainHost.QWEN), StubRegistry.Node.serving("n3", 3, 5, 6, ChainHost.QWEN)))) {
            long stage = 20; // the fast epoch's first PoC start
            host.stepTo(stage + 1);
            host.awaitProcessed(stage + 1);
            ServiceProcess collector = host.collector;
            String url = collector.url() + "/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8/generated";
            String hash = host.blockHash(stage);
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.postJson(url, body(hash, stage, 1, new long[0])) == 200);

            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger ackedBatches = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicBoolean failed = new AtomicBoolean();
            List<Thread> senders = new ArrayList<>();
            for (int node = 1; node <= 3; node++) {
                int n = node;
                Thread t = new Thread(() -> {
                    for (int b = 0; b < BATCHES_PER_NODE && !failed.get(); b++) {
                        long[] nonces = new long[PER_BATCH];
                        for (int i = 0; i < PER_BATCH; i++) {
                            nonces[i] = n + 3L * ((long) b * PER_BATCH + i);
                        }
                        String body = body(hash, stage, n, nonces);
                        long deadline = System.currentTimeMillis() + 120_000;
                        int status;
                        while ((status = Http.postJson(url, body)) != 200) {
                            refused.incrementAndGet();
                            if (System.currentTimeMillis() > deadline) {
                                failed.set(true);
                                return;
                            }
                            pause(50); // the ML node's resend loop
                        }
                        for (long nonce : nonces) {
                            acknowledged.add(nonce);
                        }
                        ackedBatches.incrementAndGet();
                    }
                });
                senders.add(t);
                t.start();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> ackedBatches.get() >= 15);
            collector.kill();
            int refusedBefore = refused.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> refused.get() > refusedBefore);
            collector.start(Duration.ofSeconds(60));
            for (Thread t : senders) {
                t.join(180_000);
            }
            assertTrue(!failed.get(), "a sender gave up");
            assertEquals(3 * BATCHES_PER_NODE, ackedBatches.get());
            try (Connection c = host.db.connect(); ResultSet rs = c.createStatement().executeQuery(
                    "select count(*), count(distinct nonce), count(distinct seq), min(seq), max(seq) from poc.artifact")) {
                rs.next();
                assertEquals(acknowledged.size(), rs.getLong(1), "every acknowledged artifact stored");
                assertEquals(rs.getLong(1), rs.getLong(2), "no nonce twice");
                assertEquals(rs.getLong(1), rs.getLong(3), "one sequence number each");
                assertEquals(0, rs.getLong(4), "the sequence starts at 0");
                assertEquals(rs.getLong(1) - 1, rs.getLong(5), "and has no gap");
            }
            assertEquals(3L * BATCHES_PER_NODE * PER_BATCH, acknowledged.size());
        }
    }

    static String body(String hash, long stage, int node, long[] nonces) {
        String vector = Base64.getEncoder().encodeToString(new byte[24]);
        StringBuilder sb = new StringBuilder("{\"block_hash\":\"" + hash + "\",\"block_height\":" + stage + ",\"public_key\":\""
                + ChainHost.COLD.publicKeyHex() + "\",\"node_id\":" + node + ",\"artifacts\":[");
        for (int i = 0; i < nonces.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"nonce\":").append(nonces[i]).append(",\"vector_b64\":\"").append(vector).append("\"}");
        }
        return sb.append("]}").toString();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
