package io.gonkanode.registry.selftest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.common.CallbackUrls;
import io.gonkanode.common.rest.ApiException;
import io.gonkanode.registry.config.GonkaConfig;
import io.gonkanode.registry.config.ManagerConfig;
import io.gonkanode.registry.manager.NodeManager;
import io.gonkanode.registry.manager.NodePoller;
import io.gonkanode.registry.manager.Target;
import io.gonkanode.registry.manager.Targets;
import io.gonkanode.registry.mlnode.MlNodeClient;
import io.gonkanode.registry.mlnode.MlNodeEndpoints;
import io.gonkanode.registry.node.Node;
import io.gonkanode.registry.node.NodeState;
import io.gonkanode.registry.node.NodeStatus;
import io.gonkanode.registry.round.Round;
import io.gonkanode.registry.round.RoundService;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The ML node self-test ({@code POST /admin/v1/nodes/{id}/test}): on that node only, and without touching the chain,
 * is it reachable, does it serve its model, does it generate PoC artifacts that reach this host's collector (a
 * one-off callback of the collector's self-test sink, not the chain's store), are they sane vectors, does the node
 * validate its own artifacts as honest, and does it answer a chat completion. Each step is passed or failed with
 * its reason and timing; the report is kept per node and updated as the steps finish.
 *
 * <p>While a test runs the node holds a lease ({@code node_test.lease_until}): the node manager sends it no commands
 * and api-node does not route to it. A node serving inference is tested only with {@code force}; no node is tested
 * during a PoC round, and a round that begins meanwhile ends the test and hands the node back.
 */
@ApplicationScoped
public class SelfTests {

    /** What the collector's sink keeps per run: enough for the sample and the vector checks. */
    static final int READ_LIMIT = 2000;
    /** A stand-in key when ACCOUNT_PUBKEY is not set: the ML node only seeds its generator with it. */
    static final String TEST_PUBLIC_KEY = "02" + "00".repeat(32);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ManagerConfig manager;
    private final ManagerConfig.SelfTest config;
    private final GonkaConfig network;
    private final Targets targets;
    private final NodePoller poller;
    private final MlNodeClient client;
    private final CollectorSelfTestApi collector;
    private final RoundService rounds;
    private final NodeManager nodeManager;
    private final EntityManager em;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "self-test");
        t.setDaemon(true);
        return t;
    });

    public SelfTests(ManagerConfig manager, GonkaConfig network, Targets targets, NodePoller poller, MlNodeClient client,
                     @RestClient CollectorSelfTestApi collector, RoundService rounds, NodeManager nodeManager, EntityManager em) {
        this.manager = manager;
        this.config = manager.selfTest();
        this.network = network;
        this.targets = targets;
        this.poller = poller;
        this.client = client;
        this.collector = collector;
        this.rounds = rounds;
        this.nodeManager = nodeManager;
        this.em = em;
    }

    void onStop(@Observes ShutdownEvent event) {
        runner.shutdownNow();
    }

    /** How long a test may hold its node at most: loading the model, generating, validating, one completion. */
    Duration lease() {
        return config.loadTimeout().plus(config.generateFor()).plus(config.requestTimeout().multipliedBy(2)).plus(Duration.ofMinutes(2));
    }

    /**
     * Starts a test of the node and answers its first report (status "running"); 404 for an unknown node, 409 during
     * a PoC round, for a node serving inference without {@code force}, or while a test of it runs.
     */
    public ObjectNode start(String nodeId, boolean force) {
        Node node = QuarkusTransaction.requiringNew().call(() -> Node.byId(nodeId).map(n -> {
            em.detach(n);
            return n;
        }).orElse(null));
        if (node == null) {
            throw ApiException.notFound("node not found: " + nodeId);
        }
        Optional<String> round = roundInProgress();
        if (round.isPresent()) {
            throw new ApiException(409, "a PoC round is in progress (" + round.get() + "): test the node after it");
        }
        NodeState state = QuarkusTransaction.requiringNew().call(() -> NodeState.byNodeId(List.of(nodeId)).get(nodeId));
        boolean serving = node.enabled && state != null && state.currentStatus == NodeStatus.INFERENCE && state.inferenceHealthy;
        if (serving && !force) {
            throw new ApiException(409, "node " + nodeId + " is serving inference: send {\"force\": true} to take it out of routing "
                    + "for the test (about a minute, longer when its model has to load)");
        }
        String model = targets.of(node, null).model();
        ObjectNode report = json.createObjectNode();
        report.put("node_id", nodeId);
        report.put("status", "running");
        report.put("forced", force);
        report.put("model", model);
        report.put("started_at", Instant.now().toString());
        report.putNull("finished_at");
        report.putArray("steps");
        boolean leased = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                insert into registry.node_test (node_id, started_at, finished_at, lease_until, report)
                values (?1, now(), null, now() + cast(?2 as interval), ?3)
                on conflict (node_id) do update set started_at = now(), finished_at = null, lease_until = excluded.lease_until,
                    report = excluded.report
                where registry.node_test.lease_until is null or registry.node_test.lease_until < now()""")
                .setParameter(1, nodeId).setParameter(2, lease().toSeconds() + " seconds").setParameter(3, report.toString())
                .executeUpdate() == 1);
        if (!leased) {
            throw new ApiException(409, "a self-test of node " + nodeId + " is running: GET /admin/v1/nodes/" + nodeId + "/test shows it");
        }
        Log.infof("self-test of node %s started%s", nodeId, force ? " (forced: it was serving inference)" : "");
        runner.submit(() -> run(node, model, report));
        return report;
    }

    /** The node's last report (the running one while a test runs). */
    public Optional<JsonNode> last(String nodeId) {
        List<?> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select report, "
                + "(lease_until is null or lease_until < now()) from registry.node_test where node_id = ?1")
                .setParameter(1, nodeId).getResultList());
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(report((Object[]) rows.get(0)));
    }

    /**
     * A stored report; one still "running" whose lease is gone was cut off (its registry stopped mid-test) and reads
     * as failed, so nobody waits for it forever. Null for a row that is not JSON.
     */
    private ObjectNode report(Object[] row) {
        ObjectNode report;
        try {
            report = (ObjectNode) json.readTree(String.valueOf(row[0]));
        } catch (java.io.IOException | ClassCastException e) {
            return null;
        }
        if ("running".equals(report.path("status").asText()) && Boolean.TRUE.equals(row[1])) {
            report.put("status", "failed");
            ((ArrayNode) report.withArray("steps")).addObject().put("name", "test").put("passed", false).put("millis", 0)
                    .put("reason", "the test was cut off (the registry stopped during it): test again");
        }
        return report;
    }

    /**
     * Every node's last test in brief, for the dashboard's rows: {@code {"node_id", "status", "started_at",
     * "finished_at", "failed_step"}} (the first step that failed, when one did).
     */
    public List<ObjectNode> summaries() {
        List<?> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select report, "
                + "(lease_until is null or lease_until < now()) from registry.node_test order by node_id").getResultList());
        List<ObjectNode> out = new java.util.ArrayList<>();
        for (Object row : rows) {
            JsonNode report = report((Object[]) row);
            if (report == null) {
                continue;
            }
            ObjectNode brief = json.createObjectNode();
            for (String f : List.of("node_id", "status", "started_at", "finished_at")) {
                brief.set(f, report.path(f).isMissingNode() ? json.nullNode() : report.get(f));
            }
            brief.putNull("failed_step");
            for (JsonNode step : report.path("steps")) {
                if (!step.path("passed").asBoolean()) {
                    brief.put("failed_step", step.path("name").asText());
                    break;
                }
            }
            out.add(brief);
        }
        return out;
    }

    /** Waits for the node's running test to finish (at most its lease) and answers its report. */
    public JsonNode await(String nodeId) {
        long deadline = System.nanoTime() + lease().toNanos();
        while (true) {
            JsonNode report = last(nodeId).orElseThrow(() -> ApiException.notFound("node not found: " + nodeId));
            if (!"running".equals(report.path("status").asText()) || System.nanoTime() > deadline) {
                return report;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return report;
            }
        }
    }

    /** "GENERATE of epoch 12" while the round's phase is PoC generation or validation. */
    Optional<String> roundInProgress() {
        Optional<Round> round = rounds.current();
        return round.filter(r -> r.phase == RoundService.Phase.GENERATE || r.phase == RoundService.Phase.VALIDATE)
                .map(r -> r.phase + " of epoch " + r.epoch);
    }

    /** One test, step by step; every step's outcome is written as soon as it is known. */
    private void run(Node node, String model, ObjectNode report) {
        Steps steps = new Steps(node.id, report);
        String runId = null;
        MlNodeEndpoints at = poller.endpoints(node);
        try {
            // 1. reachable: the management API answers its state
            JsonNode state = steps.run("reach", () -> {
                JsonNode s = client.state(at).get(manager.pollTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
                return Step.passed(json.createObjectNode().put("state", s.path("state").asText()).put("version", s.path("version").asText()),
                        "the management API answers (state " + s.path("state").asText() + ")");
            });
            if (state == null) {
                return;
            }
            if (model == null) {
                steps.fail("model", "the node has no model this network serves: register it with one of the governance models");
                return;
            }
            // 2. serving its model: brought up (as the node manager would) when it is not
            Target target = targets.of(node, null);
            if (steps.run("model", () -> serveModel(at, target)) == null) {
                return;
            }
            // 3. PoC generation into a one-off collector run
            JsonNode opened = collector.open();
            runId = opened.path("id").asText();
            String url = network.pocCallbackUrl().replaceAll("/+$", "") + opened.path("callback_path").asText()
                    + "/v2/poc-batches/" + CallbackUrls.pathEscape(CallbackUrls.pathEscape(model));
            Target.Poc poc = new Target.Poc(randomHash(), 1, targets.publicKeyHex().orElse(TEST_PUBLIC_KEY), node.nodeNum,
                    node.nodeNum + 1, model, seqLen(model), url, rounds.current().map(r -> r.pocStrongerRng).orElse(false));
            String run = runId;
            JsonNode received = steps.run("poc_generation", () -> generate(at, poc, run));
            if (received == null) {
                return;
            }
            // 4. the node validates part of what it produced as honest
            if (steps.run("poc_validation", () -> validate(at, poc, received)) == null) {
                return;
            }
            // 5. one chat completion on the inference port
            steps.run("inference", () -> infer(at, model));
        } catch (RoundBegan e) {
            steps.fail(e.step, "a PoC round began (" + e.getMessage() + "): the node was handed back to the node manager");
        } catch (RuntimeException e) {
            Log.errorf(e, "self-test of node %s broke", node.id);
            steps.fail("test", "the test itself failed: " + e);
        } finally {
            client.powStop(at).exceptionally(e -> null);
            if (runId != null) {
                try {
                    collector.close(runId);
                } catch (RuntimeException e) {
                    Log.debugf("closing self-test run %s: %s", runId, e.getMessage());
                }
            }
            steps.finish();
            nodeManager.requestTick(); // hands the node back: the manager brings it to its target again
        }
    }

    private Step serveModel(MlNodeEndpoints at, Target target) throws Exception {
        long started = System.nanoTime();
        if (serving(at, target.model())) {
            return Step.passed(json.createObjectNode().put("loaded", false), "already serving " + target.model());
        }
        client.stop(at).get(manager.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        JsonNode up = client.inferenceUp(at, target.inferenceUpBody()).get(config.loadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!"OK".equalsIgnoreCase(up.path("status").asText("OK"))) {
            return Step.failed("inference/up answered " + up, null);
        }
        long deadline = started + config.loadTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            checkRound("model");
            if (serving(at, target.model())) {
                return Step.passed(json.createObjectNode().put("loaded", true), "brought up " + target.model());
            }
            Thread.sleep(1000);
        }
        return Step.failed("the model did not come up within " + config.loadTimeout() + " (vLLM health and /v1/models)", null);
    }

    private boolean serving(MlNodeEndpoints at, String model) throws Exception {
        long timeout = manager.pollTimeout().toMillis() * 2;
        JsonNode state = client.state(at).get(timeout, TimeUnit.MILLISECONDS);
        return "INFERENCE".equals(state.path("state").asText())
                && client.inferenceHealth(at).get(timeout, TimeUnit.MILLISECONDS) == 200
                && model.equals(client.servedModel(at).exceptionally(e -> null).get(timeout, TimeUnit.MILLISECONDS));
    }

    /** Generates for {@code generateFor}, then reads what reached the collector and checks the vectors. */
    private Step generate(MlNodeEndpoints at, Target.Poc poc, String runId) throws Exception {
        client.initGenerate(at, poc.initGenerateBody()).get(manager.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        long until = started + config.generateFor().toNanos();
        double perSecond = 0;
        JsonNode received = collector.read(runId, 0);
        // generate for the set time, and a little longer (up to two callback intervals) if nothing has arrived yet
        while (System.nanoTime() < until || (received.path("count").asInt() == 0 && System.nanoTime() < until + 10_000_000_000L)) {
            checkRound("poc_generation");
            Thread.sleep(500);
            received = collector.read(runId, 0);
            JsonNode status = client.powStatus(at).exceptionally(e -> null).get(manager.pollTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            if (status != null) {
                double rate = 0;
                for (JsonNode b : status.path("backends")) {
                    rate += b.path("stats").path("nonces_per_second").asDouble();
                }
                perSecond = rate > 0 ? rate : perSecond;
            }
        }
        client.powStop(at).get(manager.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        received = collector.read(runId, READ_LIMIT);
        int count = received.path("count").asInt();
        ObjectNode details = json.createObjectNode();
        details.put("artifacts", count);
        details.put("batches", received.path("batches").asInt());
        details.put("seconds", Math.round(seconds * 10) / 10.0);
        details.put("nonces_per_minute", Math.round(perSecond > 0 ? perSecond * 60 : count / seconds * 60));
        details.put("received_per_minute", Math.round(count / seconds * 60));
        if (count == 0) {
            return Step.failed("no artifacts reached the collector in " + Math.round(seconds) + " s: the ML node must reach "
                    + network.pocCallbackUrl() + " (DAPI_API__POC_CALLBACK_URL)", details);
        }
        VectorCheck vectors = VectorCheck.of(received.path("artifacts"));
        details.set("vectors", vectors.toJson(json));
        if (!vectors.problem().isEmpty()) {
            return Step.failed("artifact vectors are not sane: " + vectors.problem(), details);
        }
        details.set("sample", received.path("artifacts"));
        return Step.passed(details, count + " artifacts in " + Math.round(seconds) + " s");
    }

    /** Sends a sample of the node's own artifacts back for validation: an honest node finds them its own. */
    private Step validate(MlNodeEndpoints at, Target.Poc poc, JsonNode generated) throws Exception {
        checkRound("poc_validation");
        JsonNode all = generated.path("details").path("sample");
        ObjectNode body = (ObjectNode) poc.initGenerateBody();
        body.remove("url");
        ArrayNode nonces = body.putArray("nonces");
        ArrayNode artifacts = body.putObject("validation").putArray("artifacts");
        int n = Math.min(config.validationSample(), all.size());
        for (int i = 0; i < n; i++) {
            JsonNode a = all.get(i * all.size() / n);
            nonces.add(a.path("nonce").asLong());
            artifacts.addObject().put("nonce", a.path("nonce").asLong()).put("vector_b64", a.path("vector_b64").asText());
        }
        // the network's statistical test as governance sets it (upstream's defaults): honest noise passes, a forger does not
        body.putObject("stat_test").put("dist_threshold", 0.4).put("p_mismatch", 0.1).put("p_value_threshold", 0.05);
        body.put("wait", true);
        JsonNode result = client.powGenerate(at, body, config.requestTimeout()).get(config.requestTimeout().toMillis() + 1000,
                TimeUnit.MILLISECONDS);
        ObjectNode details = json.createObjectNode();
        details.put("sampled", n);
        for (String f : List.of("n_total", "n_mismatch", "p_value", "fraud_detected")) {
            if (result.has(f)) {
                details.set(f, result.get(f));
            }
        }
        if (!result.has("fraud_detected")) {
            return Step.failed("the validation answer has no verdict: " + shorten(result.toString()), details);
        }
        if (result.path("fraud_detected").asBoolean()) {
            return Step.failed("the node does not reproduce its own artifacts: " + result.path("n_mismatch").asInt() + " of "
                    + result.path("n_total").asInt() + " differ (fraud_detected): its PoC is broken or not deterministic", details);
        }
        return Step.passed(details, result.path("n_mismatch").asInt() + " of " + result.path("n_total").asInt() + " differ");
    }

    private Step infer(MlNodeEndpoints at, String model) throws Exception {
        checkRound("inference");
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", "Reply with the single word OK.");
        body.put("max_tokens", 8);
        body.put("stream", false);
        JsonNode answer = client.chatCompletion(at, body, config.requestTimeout()).get(config.requestTimeout().toMillis() + 1000,
                TimeUnit.MILLISECONDS);
        JsonNode message = answer.path("choices").path(0).path("message");
        ObjectNode details = json.createObjectNode();
        details.put("completion_tokens", answer.path("usage").path("completion_tokens").asInt());
        details.put("content", shorten(message.path("content").asText()));
        if (!message.isObject()) {
            return Step.failed("the completion has no choices[0].message: " + shorten(answer.toString()), details);
        }
        return Step.passed(details, "answered a chat completion");
    }

    private void checkRound(String step) {
        Optional<String> round = roundInProgress();
        if (round.isPresent()) {
            throw new RoundBegan(step, round.get());
        }
    }

    private int seqLen(String model) {
        return rounds.current().map(r -> r.models == null ? null : r.models.get(model)).map(Round.PocModel::seqLen)
                .filter(l -> l > 0).orElse(1024);
    }

    private static String randomHash() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** A PoC round began while a test ran. */
    static final class RoundBegan extends RuntimeException {
        final String step;

        RoundBegan(String step, String round) {
            super(round, null, false, false);
            this.step = step;
        }
    }

    /** One step's outcome. */
    record Step(boolean passed, String reason, ObjectNode details) {
        static Step passed(ObjectNode details, String reason) {
            return new Step(true, reason, details);
        }

        static Step failed(String reason, ObjectNode details) {
            return new Step(false, reason, details);
        }
    }

    interface StepBody {
        Step run() throws Exception;
    }

    /** The report's steps, written to node_test as each one ends. */
    final class Steps {
        private final String nodeId;
        private final ObjectNode report;
        private boolean failed;

        Steps(String nodeId, ObjectNode report) {
            this.nodeId = nodeId;
            this.report = report;
        }

        /** Runs a step; its details when it passed, null when it failed (the test stops there). */
        JsonNode run(String name, StepBody body) {
            long started = System.nanoTime();
            Step step;
            try {
                step = body.run();
            } catch (RoundBegan e) {
                throw e;
            } catch (java.util.concurrent.ExecutionException e) {
                step = Step.failed(e.getCause() == null ? e.toString() : e.getCause().getMessage(), null);
            } catch (java.util.concurrent.TimeoutException e) {
                step = Step.failed("no answer in time", null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                step = Step.failed("interrupted (the registry is stopping)", null);
            } catch (Exception e) {
                step = Step.failed(e.getMessage() == null ? e.toString() : e.getMessage(), null);
            }
            ObjectNode entry = ((ArrayNode) report.get("steps")).addObject();
            entry.put("name", name);
            entry.put("passed", step.passed());
            entry.put("millis", (System.nanoTime() - started) / 1_000_000);
            entry.put("reason", step.reason());
            if (step.details() != null) {
                ObjectNode shown = step.details().deepCopy();
                shown.remove("sample"); // kept for the next step, not for the report
                entry.set("details", shown);
            }
            if (step.passed() && "poc_generation".equals(name)) {
                report.put("nonces_per_minute", step.details().path("nonces_per_minute").asLong());
            }
            failed |= !step.passed();
            save(false);
            if (!step.passed()) {
                return null;
            }
            ObjectNode out = json.createObjectNode();
            out.set("details", step.details() == null ? json.createObjectNode() : step.details());
            return out;
        }

        void fail(String name, String reason) {
            ObjectNode entry = ((ArrayNode) report.get("steps")).addObject();
            entry.put("name", name);
            entry.put("passed", false);
            entry.put("millis", 0);
            entry.put("reason", reason);
            failed = true;
            save(false);
        }

        void finish() {
            report.put("status", failed ? "failed" : "passed");
            report.put("finished_at", Instant.now().toString());
            save(true);
            Log.infof("self-test of node %s %s", nodeId, failed ? "failed" : "passed");
        }

        private void save(boolean done) {
            try {
                QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update registry.node_test set report = ?2"
                                + (done ? ", finished_at = now(), lease_until = null" : "") + " where node_id = ?1")
                        .setParameter(1, nodeId).setParameter(2, report.toString()).executeUpdate());
            } catch (RuntimeException e) {
                Log.warnf("self-test report of node %s not saved: %s", nodeId, e.getMessage());
            }
        }
    }
}
