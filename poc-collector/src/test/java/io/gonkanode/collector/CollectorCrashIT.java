package io.gonkanode.collector;

import io.gonkanode.testing.Http;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.testing.StubRegistry;
import io.gonkanode.local.Database;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the packaged collector while three senders post batches the way ML nodes do (resending until
 * they get a 200): after the restart every acknowledged artifact is stored, exactly once.
 */
class CollectorCrashIT {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final String KEY = "AgOaIoGHIEb2t+Uj/iYPzWpVxgUfgPKKyLxH1mjm1nxC";
    static final String KEY_HEX = "02039a2281872046f6b7e523fe260fcd6a55c6051f80f28ac8bc47d668e6d67c42";
    static final int BATCHES_PER_NODE = 40;
    static final int PER_BATCH = 250;

    @Test
    void everyAcknowledgedArtifactSurvivesAKillAndNoneIsCountedTwice() throws Exception {
        try (Database db = Database.forTests(); StubRegistry registry = new StubRegistry()) {
            registry.nodes(List.of(StubRegistry.Node.serving("n1", 1, 1, 2, MODEL), StubRegistry.Node.serving("n2", 2, 3, 4, MODEL),
                    StubRegistry.Node.serving("n3", 3, 5, 6, MODEL)));
            ServiceProcess collector = ServiceProcess.builder("poc-collector", Path.of("target", "quarkus-app", "quarkus-run.jar"))
                    .env(db.environment())
                    .env("NODE_REGISTRY_URL", registry.url())
                    .env("ACCOUNT_PUBKEY", KEY)
                    // one long generation window, starting one block after genesis
                    .env("GONKA_CHAIN_EPOCH_LENGTH", "100000")
                    .env("GONKA_CHAIN_EPOCH_SHIFT", "99999")
                    .env("GONKA_CHAIN_POC_STAGE_DURATION", "90000")
                    .env("GONKA_CHAIN_POC_VALIDATION_DURATION", "100")
                    .build().start(Duration.ofSeconds(60));
            String url = collector.url() + "/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8/generated";
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest("gonka-local:1".getBytes(StandardCharsets.UTF_8))).toUpperCase(Locale.ROOT);
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.postJson(url, body(hash, 1, new long[0])) == 200);

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
                        String body = body(hash, n, nonces);
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
            collector.stop();
            assertTrue(!failed.get(), "a sender gave up");
            assertEquals(3 * BATCHES_PER_NODE, ackedBatches.get());
            try (Connection c = db.connect();
                 ResultSet rs = c.createStatement().executeQuery("select count(*), count(distinct nonce) from poc.artifact")) {
                rs.next();
                assertEquals(acknowledged.size(), rs.getLong(1), "every acknowledged artifact stored");
                assertEquals(rs.getLong(1), rs.getLong(2), "no nonce twice");
            }
            assertEquals(3L * BATCHES_PER_NODE * PER_BATCH, acknowledged.size());
        }
    }

    static String body(String hash, int node, long[] nonces) {
        String vector = Base64.getEncoder().encodeToString(new byte[24]);
        StringBuilder sb = new StringBuilder("{\"block_hash\":\"" + hash + "\",\"block_height\":1,\"public_key\":\"" + KEY_HEX
                + "\",\"node_id\":" + node + ",\"artifacts\":[");
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
