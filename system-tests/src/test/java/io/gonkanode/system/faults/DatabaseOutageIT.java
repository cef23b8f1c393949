package io.gonkanode.system.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.local.LocalStack;
import io.gonkanode.local.StackOptions;
import io.gonkanode.system.TestStacks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL goes away for ten seconds under load, in a PoC stage's generation window on chain-sim (held open: the test
 * makes the blocks), and comes back: node-registry and poc-collector answer
 * 503 JSON at once (no hang, no 500) and report not-ready, api-node keeps serving inference from its
 * cached view, and all of it recovers without a restart; every batch acknowledged before, during or
 * after the outage is stored exactly once.
 */
class DatabaseOutageIT {

    static final String MODEL = LocalStack.MODEL;
    static final Duration OUTAGE = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static LocalStack stack;


    @BeforeAll
    static void up() throws IOException {
        StackOptions o = TestStacks.options("outage");
        o.mlnodes = 1;
        // the test makes the blocks: it stops in a PoC stage's generation window, which then stays open while it posts
        // batches itself; the chain lists the node as preserved, so it keeps serving inference through the round
        o.peers = 0;
        o.produceBlocks = false;
        o.env("mlnode", "SIM_TIME_TO_FIRST_TOKEN", "5ms");
        stack = new LocalStack(o).start();
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.close();
        }
    }

    record Answer(int status, String body, long millis) {
    }

    static Answer call(String method, String url, String body) {
        long start = System.nanoTime();
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
            b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            return new Answer(-1, e.toString(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    static long stage;
    /** This host's account key in hex, as ML nodes put it in their batches. */
    static String publicKey;

    static String batch(String hash, long firstNonce, int n) {
        String vector = Base64.getEncoder().encodeToString(new byte[24]);
        StringBuilder sb = new StringBuilder("{\"block_hash\":\"" + hash + "\",\"block_height\":" + stage
                + ",\"public_key\":\"" + publicKey + "\",\"node_id\":1,\"artifacts\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"nonce\":").append(firstNonce + i).append(",\"vector_b64\":\"").append(vector).append("\"}");
        }
        return sb.append("]}").toString();
    }

    static boolean jsonError(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.has("error");
        } catch (Exception e) {
            return false;
        }
    }

    /** One kind of traffic, kept up by its own thread; what it saw is recorded per phase. */
    static final class Load implements Runnable {
        final String name;
        final java.util.function.Supplier<Answer> request;
        final Map<String, ConcurrentLinkedQueue<Answer>> byPhase = new ConcurrentHashMap<>();
        volatile String phase = "before";
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread thread;

        Load(String name, java.util.function.Supplier<Answer> request) {
            this.name = name;
            this.request = request;
            this.thread = new Thread(this, "load-" + name);
        }

        public void run() {
            while (!stop.get()) {
                String p = phase;
                Answer a = request.get();
                byPhase.computeIfAbsent(p, k -> new ConcurrentLinkedQueue<>()).add(a);
            }
        }

        List<Answer> in(String phase) {
            return new ArrayList<>(byPhase.getOrDefault(phase, new ConcurrentLinkedQueue<>()));
        }

        Map<Integer, Integer> statuses(String phase) {
            Map<Integer, Integer> out = new TreeMap<>();
            in(phase).forEach(a -> out.merge(a.status(), 1, Integer::sum));
            return out;
        }

        long slowest(String phase) {
            return in(phase).stream().mapToLong(Answer::millis).max().orElse(0);
        }
    }

    @Test
    void theServicesAnswer503WhileTheDatabaseIsAwayAndRecoverByThemselves() throws Exception {
        String registry = stack.registry().url();
        String collector = stack.collector().url();
        String api = stack.api().url();
        String chat = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":2}";
        String chain = stack.chain().url();
        await().atMost(Duration.ofSeconds(120)).until(() -> call("POST", api + "/v1/chat/completions", chat).status() == 200);
        String host = JSON.readTree(call("GET", collector + "/v1/chain/status", null).body()).path("account").asText();
        assertEquals(200, call("PUT", chain + "/sim/v1/preserved-nodes",
                "{\"models\": {\"" + MODEL + "\": {\"" + host + "\": [\"mlnode-1\"]}}}").status());
        stage = 20; // the fast epoch's first PoC start
        long height = JSON.readTree(call("GET", chain + "/sim/v1/state", null).body()).path("height").asLong();
        stack.makeBlocks((int) (stage - 1 - height));
        await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(call("GET", registry + "/internal/v1/chain", null).body())
                .path("preserved_nodes").has("mlnode-1"));
        stack.makeBlocks(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> "PoCGenerate".equals(
                JSON.readTree(call("GET", collector + "/v1/epochs/latest", null).body()).path("phase").asText()));
        publicKey = HexFormat.of().formatHex(Base64.getDecoder().decode(stack.accountPubkey()));
        String hash = JSON.readTree(call("GET", chain + "/block?height=" + stage, null).body()).path("result").path("block_id")
                .path("hash").asText();
        // the preserved node keeps serving inference through the round
        assertEquals(200, call("POST", api + "/v1/chat/completions", chat).status());
        String batchUrl = collector + "/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8/generated";
        await().atMost(Duration.ofSeconds(60)).until(() -> call("POST", batchUrl, batch(hash, 0, 0)).status() == 200);

        // batches are resent until acknowledged, as ML nodes do; acknowledged nonces are counted here
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong nextNonce = new AtomicLong(1);
        AtomicLong pending = new AtomicLong(-1);
        Load batches = new Load("batches", () -> {
            long first = pending.get() >= 0 ? pending.get() : nextNonce.getAndAdd(50);
            Answer a = call("POST", batchUrl, batch(hash, first, 50));
            if (a.status() == 200) {
                for (long n = first; n < first + 50; n++) {
                    acknowledged.add(n);
                }
                pending.set(-1);
            } else {
                pending.set(first);
            }
            return a;
        });
        Load chats = new Load("chat", () -> call("POST", api + "/v1/chat/completions", chat));
        Load admin = new Load("admin", () -> call("GET", registry + "/admin/v1/nodes", null));
        Load readiness = new Load("readiness", () -> {
            Answer r = call("GET", registry + "/q/health/ready", null);
            Answer c = call("GET", collector + "/q/health/ready", null);
            return new Answer(r.status() == 200 && c.status() == 200 ? 200 : r.status() != 200 && c.status() != 200 ? 503 : 207,
                    r.body() + c.body(), Math.max(r.millis(), c.millis()));
        });
        List<Load> loads = List.of(batches, chats, admin, readiness);
        loads.forEach(l -> l.thread.start());
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> loads.stream().allMatch(l -> l.in("before").size() >= 3));

            long down = System.nanoTime();
            loads.forEach(l -> l.phase = "outage");
            stack.database().stop();
            // the outage lasts at least OUTAGE, and until every service has shown how it behaves without a database
            await().atMost(Duration.ofSeconds(90)).until(() -> System.nanoTime() - down >= OUTAGE.toNanos()
                    && admin.in("outage").stream().anyMatch(a -> a.status() == 503)
                    && batches.in("outage").stream().anyMatch(a -> a.status() == 503)
                    && readiness.in("outage").stream().anyMatch(a -> a.status() == 503)
                    && chats.in("outage").size() >= 10);
            loads.forEach(l -> l.phase = "recovery");
            stack.database().start();
            long up = System.nanoTime();
            await().atMost(Duration.ofSeconds(90)).until(() -> readiness.in("recovery").stream().anyMatch(a -> a.status() == 200)
                    && admin.in("recovery").stream().anyMatch(a -> a.status() == 200)
                    && batches.in("recovery").stream().anyMatch(a -> a.status() == 200));
            long recoveredMillis = (System.nanoTime() - up) / 1_000_000;
            loads.forEach(l -> l.phase = "after");
            await().atMost(Duration.ofSeconds(30)).until(() -> loads.stream().allMatch(l -> l.in("after").size() >= 5));
            loads.forEach(l -> l.stop.set(true));
            for (Load l : loads) {
                l.thread.join(60_000);
            }

            StringBuilder report = new StringBuilder("outage: " + OUTAGE.toSeconds() + " s at least; recovered "
                    + recoveredMillis + " ms after the database was back\n");
            for (Load l : loads) {
                for (String p : List.of("before", "outage", "recovery", "after")) {
                    report.append(l.name).append(' ').append(p).append(": ").append(l.statuses(p))
                            .append(", slowest ").append(l.slowest(p)).append(" ms\n");
                }
            }
            Files.createDirectories(Path.of("target", "faults"));
            Files.writeString(Path.of("target", "faults", "database-outage.txt"), report.toString());
            System.out.println(report);

            // no 500 and no hang from any service at any time; every refusal is JSON
            for (Load l : List.of(batches, admin)) {
                for (String p : List.of("before", "outage", "recovery", "after")) {
                    for (Answer a : l.in(p)) {
                        assertTrue(a.status() == 200 || a.status() == 503, l.name + " " + p + " answered " + a.status() + ": " + a.body());
                        assertTrue(a.status() == 200 || jsonError(a.body()), l.name + " " + p + ": " + a.body());
                    }
                }
                assertTrue(l.slowest("outage") < 10_000, l.name + " answered within the pool's acquisition timeout, not hanging: "
                        + l.slowest("outage") + " ms");
            }
            // inference never needed the database
            for (String p : List.of("before", "outage", "recovery", "after")) {
                assertEquals(Map.of(200, chats.in(p).size()), chats.statuses(p), "chat " + p);
            }
            assertTrue(admin.statuses("after").keySet().equals(Set.of(200)), "admin after: " + admin.statuses("after"));
            assertTrue(readiness.statuses("after").keySet().equals(Set.of(200)), "ready after: " + readiness.statuses("after"));
        } finally {
            loads.forEach(l -> l.stop.set(true));
        }
        // every acknowledged artifact is stored, none twice
        try (Connection c = stack.database().connect();
             ResultSet rs = c.createStatement().executeQuery("select count(*), count(distinct nonce) from poc.artifact where node_num = 1")) {
            rs.next();
            assertEquals(acknowledged.size(), rs.getLong(1), "every acknowledged artifact stored");
            assertEquals(rs.getLong(1), rs.getLong(2), "no nonce twice");
        }
        assertTrue(acknowledged.size() > 0);
    }
}
