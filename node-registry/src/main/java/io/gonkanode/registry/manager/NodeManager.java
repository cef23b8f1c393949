package io.gonkanode.registry.manager;

import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.registry.config.GonkaConfig;
import io.gonkanode.registry.config.ManagerConfig;
import io.gonkanode.registry.mlnode.MlNodeCallFailed;
import io.gonkanode.registry.mlnode.MlNodeClient;
import io.gonkanode.registry.mlnode.MlNodeEndpoints;
import io.gonkanode.registry.mlnode.Untrusted;
import io.gonkanode.registry.node.Node;
import io.gonkanode.registry.node.NodeState;
import io.gonkanode.registry.round.Round;
import io.gonkanode.registry.round.RoundService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The node manager: a reconciler in the spirit of a Kubernetes controller. Every poll interval (and at
 * once after a round change or a finished command) the leader polls every node, records what it saw,
 * and sends each node the one command that brings it closer to its target. Commands to a node run
 * strictly one at a time; one that no longer matches the node's target is cancelled.
 */
@ApplicationScoped
public class NodeManager {

    /** How long a written last_seen stays fresh enough not to be rewritten. */
    private static final Duration LAST_SEEN_RESOLUTION = Duration.ofSeconds(30);

    private final ManagerConfig config;
    private final MlNodeClient client;
    private final LeaderLock leader;
    private final Targets targets;
    private final GonkaConfig network;
    private final EntityManager em;
    private final MeterRegistry metrics;
    private final Semaphore permits;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-manager");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean tickPending = new AtomicBoolean();
    private final Map<String, Command> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    /** When each node's last command finished: a poll that started before it is stale for decisions. */
    private final Map<String, Instant> lastFinished = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byStatus = new ConcurrentHashMap<>();
    private final Timer pollTimer;
    private volatile boolean running;

    /** A command in flight; cancelling it aborts the request it is waiting on. */
    record Command(Reconciler.Action action, Target target, Run run, CompletableFuture<?> future, Instant startedAt) {
        void cancel() {
            run.cancel();
            future.cancel(true);
        }
    }

    /** The steps of one command; remembers the request in flight so that a cancel can abort it. */
    static final class Run {
        private volatile CompletableFuture<?> current;
        private volatile boolean cancelled;

        <T> CompletableFuture<T> step(Supplier<CompletableFuture<T>> call) {
            if (cancelled) {
                return CompletableFuture.failedFuture(new CancellationException());
            }
            CompletableFuture<T> f = call.get();
            current = f;
            if (cancelled) {
                f.cancel(true);
            }
            return f;
        }

        void cancel() {
            cancelled = true;
            CompletableFuture<?> f = current;
            if (f != null) {
                f.cancel(true);
            }
        }
    }

    /** Why a node's last command failed and when it may be tried again. */
    record Retry(String reason, Instant notBefore, Duration lastDelay) {
    }

    public NodeManager(ManagerConfig config, MlNodeClient client, LeaderLock leader, Targets targets,
                       GonkaConfig network, EntityManager em, MeterRegistry metrics) {
        this.config = config;
        this.client = client;
        this.leader = leader;
        this.targets = targets;
        this.network = network;
        this.em = em;
        this.metrics = metrics;
        this.permits = new Semaphore(config.maxConcurrentRequests());
        this.pollTimer = Timer.builder("registry.mlnode.poll").description("Latency of one node poll")
                .publishPercentiles(0.5, 0.99).register(metrics);
        for (String status : List.of("UNKNOWN", "INFERENCE", "POC", "STOPPED", "FAILED")) {
            AtomicInteger count = new AtomicInteger();
            byStatus.put(status, count);
            Gauge.builder("registry.nodes", count, AtomicInteger::get).tag("status", status)
                    .description("Nodes by observed status (as seen by the leader)").register(metrics);
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("node manager disabled (gonka.manager.enabled=false)");
            return;
        }
        running = true;
        loop.scheduleWithFixedDelay(this::safeTick, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        Log.infof("node manager started: poll every %s, callbacks to %s", config.pollInterval(), network.pocCallbackUrl());
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        loop.shutdownNow();
        cancelAll("shutting down");
    }

    void onRoundChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) RoundService.Changed changed) {
        requestTick();
    }

    /** Runs a tick soon (coalesced), e.g. after a command finished or the round changed. */
    public void requestTick() {
        if (running && tickPending.compareAndSet(false, true)) {
            loop.schedule(this::safeTick, 50, TimeUnit.MILLISECONDS);
        }
    }

    public boolean isLeader() {
        return leader.isLeader();
    }

    public int commandsInFlight() {
        return inFlight.size();
    }

    private void safeTick() {
        tickPending.set(false);
        try {
            tick();
        } catch (RuntimeException e) {
            Log.warnf("node manager tick failed: %s", e.toString());
        }
    }

    /** One reconciliation pass; public so tests can drive the manager step by step. */
    void tick() {
        if (!leader.holds()) {
            cancelAll("leadership lost");
            return;
        }
        Snapshot snapshot = QuarkusTransaction.requiringNew().call(this::load);
        Map<String, CompletableFuture<Observation>> polls = new HashMap<>();
        for (Node node : snapshot.nodes) {
            polls.put(node.id, poll(endpoints(node)));
        }
        Map<String, Observation> seen = new HashMap<>();
        long waitMillis = config.pollTimeout().toMillis() * 3 + 1000;
        for (Map.Entry<String, CompletableFuture<Observation>> e : polls.entrySet()) {
            try {
                seen.put(e.getKey(), e.getValue().get(waitMillis, TimeUnit.MILLISECONDS));
            } catch (Exception ex) {
                seen.put(e.getKey(), Observation.unreachable("poll did not complete: " + ex, Instant.now()));
            }
        }
        Map<String, Target> goals = new HashMap<>();
        for (Node node : snapshot.nodes) {
            goals.put(node.id, targets.of(node, snapshot.round));
        }
        record(snapshot, seen, goals);
        for (Node node : snapshot.nodes) {
            drive(node, goals.get(node.id), seen.get(node.id));
        }
        inFlight.keySet().removeIf(id -> {
            boolean gone = snapshot.nodes.stream().noneMatch(n -> n.id.equals(id));
            if (gone) {
                Command c = inFlight.get(id);
                if (c != null) {
                    c.cancel();
                }
            }
            return gone;
        });
        retries.keySet().removeIf(id -> snapshot.nodes.stream().noneMatch(n -> n.id.equals(id)));
        lastFinished.keySet().removeIf(id -> snapshot.nodes.stream().noneMatch(n -> n.id.equals(id)));
    }

    private record Snapshot(List<Node> nodes, Map<String, NodeState> states, Round round) {
    }

    private Snapshot load() {
        List<Node> nodes = Node.allByNodeNum();
        nodes.forEach(em::detach);
        Map<String, NodeState> states = NodeState.byNodeId(nodes.stream().map(n -> n.id).toList());
        states.values().forEach(em::detach);
        Round round = em.find(Round.class, 1);
        if (round != null) {
            em.detach(round);
        }
        return new Snapshot(nodes, states, round);
    }

    private MlNodeEndpoints endpoints(Node node) {
        return MlNodeEndpoints.of(node.host, node.pocPort, node.pocSegment, node.inferencePort, node.inferenceSegment,
                network.mlnodeVersion().orElse(""));
    }

    /** GET state; if it serves inference also /health and the PoC status. */
    private CompletableFuture<Observation> poll(MlNodeEndpoints ep) {
        long start = System.nanoTime();
        Instant startedAt = Instant.now();
        return limited(() -> client.state(ep)).thenCompose(state -> {
            String s = state.path("state").asText(null);
            String version = state.path("version").asText("");
            String loaded = state.path("loaded_model").isTextual() ? state.path("loaded_model").textValue() : null;
            boolean pvi = state.path("poc_validation_inference").asBoolean(false);
            if (!"INFERENCE".equals(s)) {
                return CompletableFuture.completedFuture(new Observation(true, null, s, null, null, false, 0, loaded,
                        version, pvi, startedAt));
            }
            CompletableFuture<Integer> health = limited(() -> client.inferenceHealth(ep));
            CompletableFuture<JsonNode> pow = limited(() -> client.powStatus(ep)).exceptionally(e -> null);
            CompletableFuture<String> model = loaded != null ? CompletableFuture.completedFuture(loaded)
                    : health.thenCompose(code -> code == 200 ? limited(() -> client.servedModel(ep)).exceptionally(e -> null)
                    : CompletableFuture.completedFuture(null));
            return CompletableFuture.allOf(health, pow, model).thenApply(v -> {
                JsonNode p = pow.join();
                String pocStatus = p == null ? state.path("poc_status").asText(null) : p.path("status").asText(null);
                Long height = null;
                if (p != null) {
                    for (JsonNode backend : p.path("backends")) {
                        JsonNode h = backend.path("config").path("block_height");
                        if (h.canConvertToLong() && h.isNumber()) {
                            height = h.longValue();
                        }
                    }
                }
                int code = health.join();
                return new Observation(true, null, s, pocStatus, height, code == 200, code, model.join(), version, pvi,
                        startedAt);
            });
        }).exceptionally(e -> Observation.unreachable(message(e), startedAt))
                .whenComplete((o, e) -> pollTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    private <T> CompletableFuture<T> limited(Supplier<CompletableFuture<T>> call) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            permits.release();
            return CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, e) -> permits.release());
        return f; // the call's own future: cancelling it aborts the request
    }

    /** Writes what changed (statuses, intentions, commands) in one transaction. */
    private void record(Snapshot snapshot, Map<String, Observation> seen, Map<String, Target> goals) {
        Map<String, Integer> counts = new HashMap<>();
        List<Runnable> writes = new ArrayList<>();
        for (Node node : snapshot.nodes) {
            NodeState before = snapshot.states.get(node.id);
            Observation o = seen.get(node.id);
            Instant finishedAt = lastFinished.get(node.id);
            if (before != null && finishedAt != null && o.at().isBefore(finishedAt)) {
                counts.merge(before.currentStatus, 1, Integer::sum);
                continue; // seen before the last command finished: it may show the past
            }
            Target target = goals.get(node.id);
            Command command = inFlight.get(node.id);
            boolean loading = command != null && command.action() == Reconciler.Action.BRING_UP;
            Reconciler.Status previous = before == null ? new Reconciler.Status("UNKNOWN", "IDLE", "")
                    : new Reconciler.Status(before.currentStatus, before.pocCurrentStatus, before.failureReason);
            Reconciler.Status status = Reconciler.status(o, target.model(), loading, previous);
            Retry retry = retries.get(node.id);
            if (retry != null && o.reachable() && Reconciler.decide(target, o) != Reconciler.Action.NONE) {
                status = new Reconciler.Status("FAILED", status.poc(), retry.reason());
            }
            counts.merge(status.current(), 1, Integer::sum);
            String intended = target.intendedStatus() != null ? target.intendedStatus() : status.current();
            String pocIntended = target.pocIntendedStatus() != null ? target.pocIntendedStatus() : status.poc();
            final Reconciler.Status s = status;
            String commandName = command == null ? null : command.action().name();
            boolean changed = before == null
                    || !s.current().equals(before.currentStatus) || !s.poc().equals(before.pocCurrentStatus)
                    || !s.failureReason().equals(before.failureReason)
                    || !intended.equals(before.intendedStatus) || !pocIntended.equals(before.pocIntendedStatus)
                    || !Objects.equals(commandName, before.command)
                    || (o.reachable() && (!Objects.equals(o.version(), before.mlNodeVersion)
                    || !Objects.equals(o.loadedModel(), before.loadedModel)
                    || o.inferenceHealthy() != before.inferenceHealthy
                    || o.pocValidationInference() != before.pocValidationInference
                    || before.lastSeen == null || Duration.between(before.lastSeen, o.at()).compareTo(LAST_SEEN_RESOLUTION) > 0))
                    || (!o.reachable() && before.inferenceHealthy);
            if (!changed) {
                continue;
            }
            writes.add(() -> {
                NodeState state = em.find(NodeState.class, node.id);
                if (state == null) {
                    if (em.find(Node.class, node.id) == null) {
                        return; // deleted meanwhile
                    }
                    state = NodeState.initial(node.id, Instant.now());
                    em.persist(state);
                }
                if (!s.current().equals(state.currentStatus)) {
                    state.statusTimestamp = o.at();
                    Log.infof("node %s: %s -> %s%s", node.id, state.currentStatus, s.current(),
                            s.failureReason().isEmpty() ? "" : " (" + s.failureReason() + ")");
                }
                state.currentStatus = s.current();
                state.pocCurrentStatus = s.poc();
                state.failureReason = Untrusted.text(s.failureReason(), 1000);
                state.intendedStatus = intended;
                state.pocIntendedStatus = pocIntended;
                state.command = commandName;
                if (o.reachable()) {
                    state.lastSeen = o.at();
                    state.mlNodeVersion = o.version() == null ? "" : o.version();
                    state.loadedModel = o.loadedModel();
                    state.inferenceHealthy = o.inferenceHealthy();
                    state.pocValidationInference = o.pocValidationInference();
                } else {
                    state.inferenceHealthy = false;
                }
            });
        }
        if (!writes.isEmpty()) {
            try {
                QuarkusTransaction.requiringNew().run(() -> writes.forEach(Runnable::run));
            } catch (RuntimeException e) {
                // one node's write must not hold back every other node's: write them one by one
                Log.warnf("writing node states together failed (%s); writing them one by one", e.getMessage());
                for (Runnable write : writes) {
                    try {
                        QuarkusTransaction.requiringNew().run(write);
                    } catch (RuntimeException single) {
                        Log.warnf("a node state write failed: %s", single.getMessage());
                    }
                }
            }
        }
        byStatus.forEach((status, count) -> count.set(counts.getOrDefault(status, 0)));
    }

    /** Sends the next command, unless one is in flight (then cancels it if it no longer fits the target). */
    private void drive(Node node, Target target, Observation seen) {
        Command running = inFlight.get(node.id);
        if (running != null) {
            if (!sameGoal(running.target(), target)) {
                Log.infof("node %s: cancelling %s, the node's target changed to %s", node.id, running.action(), target.mode());
                running.cancel();
                inFlight.remove(node.id, running);
            }
            return;
        }
        Instant finishedAt = lastFinished.get(node.id);
        if (finishedAt != null && seen.at().isBefore(finishedAt)) {
            return; // this poll predates the last command's outcome; the next one will tell
        }
        Reconciler.Action action = Reconciler.decide(target, seen);
        if (action == Reconciler.Action.NONE) {
            if (seen.reachable()) {
                retries.remove(node.id);
            }
            return;
        }
        Retry retry = retries.get(node.id);
        if (retry != null && Instant.now().isBefore(retry.notBefore())) {
            return;
        }
        dispatch(node, action, target);
    }

    private static boolean sameGoal(Target a, Target b) {
        if (a.mode() != b.mode() || !Objects.equals(a.model(), b.model()) || !Objects.equals(a.args(), b.args())) {
            return false;
        }
        return a.poc() == null || b.poc() == null || a.poc().blockHeight() == b.poc().blockHeight();
    }

    private void dispatch(Node node, Reconciler.Action action, Target target) {
        MlNodeEndpoints ep = endpoints(node);
        Log.infof("node %s: %s (target %s %s)", node.id, action, target.mode(), target.model());
        Run run = new Run();
        CompletableFuture<String> work = switch (action) {
            case BRING_UP -> run.step(() -> limited(() -> client.stop(ep)))
                    .thenCompose(v -> run.step(() -> limited(() -> client.inferenceUp(ep, target.inferenceUpBody()))))
                    .thenApply(body -> {
                        if (!"OK".equals(body.path("status").asText())) {
                            throw new CompletionException(new MlNodeCallFailed("inference/up failed: "
                                    + body.path("message").asText(body.toString()), 200));
                        }
                        return "model " + target.model() + " up";
                    });
            case START_GENERATION -> run.step(() -> limited(() -> client.initGenerate(ep, target.poc().initGenerateBody())))
                    .thenApply(body -> "generating for stage " + target.poc().blockHeight());
            case RESTART_GENERATION -> run.step(() -> limited(() -> client.powStop(ep)))
                    .thenCompose(v -> run.step(() -> limited(() -> client.initGenerate(ep, target.poc().initGenerateBody()))))
                    .thenApply(body -> "generating for stage " + target.poc().blockHeight());
            case STOP_GENERATION -> run.step(() -> limited(() -> client.powStop(ep))).thenApply(body -> "generation stopped");
            case NONE -> CompletableFuture.completedFuture("nothing");
        };
        Command command = new Command(action, target, run, work, Instant.now());
        inFlight.put(node.id, command);
        work.whenComplete((result, error) -> finished(node.id, command, result, error));
    }

    private void finished(String nodeId, Command command, String result, Throwable error) {
        lastFinished.put(nodeId, Instant.now());
        inFlight.remove(nodeId, command);
        boolean cancelled = (error != null && command.run().cancelled) || error instanceof CancellationException
                || (error instanceof CompletionException && error.getCause() instanceof CancellationException);
        String outcome = error == null ? "ok" : cancelled ? "cancelled" : "failed";
        Counter.builder("registry.mlnode.commands").tag("command", command.action().name()).tag("outcome", outcome)
                .description("Commands sent to ML nodes").register(metrics).increment();
        String text;
        if (error == null) {
            retries.remove(nodeId);
            text = result;
        } else if (cancelled) {
            text = "cancelled";
        } else {
            text = command.action() + " failed: " + message(error);
            Retry previous = retries.get(nodeId);
            Duration delay = previous == null ? config.retryBackoff()
                    : min(previous.lastDelay().multipliedBy(2), config.retryBackoffMax());
            retries.put(nodeId, new Retry(text, Instant.now().plus(delay), delay));
            Log.warnf("node %s: %s; next attempt in %s", nodeId, text, delay);
        }
        if (running) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    NodeState state = em.find(NodeState.class, nodeId);
                    if (state != null) {
                        state.lastCommand = command.action().name();
                        state.lastCommandAt = Instant.now();
                        state.lastCommandResult = Untrusted.text(text, 1000);
                    }
                });
            } catch (RuntimeException e) {
                Log.debugf("could not record the outcome of %s on %s: %s", command.action(), nodeId, e.getMessage());
            }
            requestTick();
        }
    }

    private void cancelAll(String why) {
        if (!inFlight.isEmpty()) {
            Log.infof("cancelling %d command(s): %s", inFlight.size(), why);
        }
        inFlight.values().forEach(Command::cancel);
        inFlight.clear();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof MlNodeCallFailed ? t.getMessage() : t.toString();
    }
}
