package io.gonkanode.registry.manager;

import io.gonkanode.registry.config.ManagerConfig;
import io.gonkanode.registry.mlnode.MlNodeCallFailed;
import io.gonkanode.registry.mlnode.MlNodeClient;
import io.gonkanode.registry.mlnode.MlNodeEndpoints;
import io.gonkanode.registry.mlnode.Untrusted;
import io.gonkanode.registry.node.Node;
import io.gonkanode.registry.node.NodeState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The commands sent to ML nodes: at most one in flight per node, cancelled when the node's target moves
 * away from it; a failed one is retried after a backoff that doubles up to {@code retry-backoff-max}.
 * Each outcome is written to the node's state and announced as a {@link Finished} event.
 */
@ApplicationScoped
public class CommandRunner {

    /** Fired when a command ended (done, failed or cancelled), so the manager can look again at once. */
    public record Finished(String nodeId, Reconciler.Action action) {
    }

    /** A command in flight; cancelling it aborts the request it is waiting on. */
    record Command(Reconciler.Action action, Target target, Run run, CompletableFuture<?> future) {
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

    private final ManagerConfig config;
    private final MlNodeClient client;
    private final RequestLimiter limiter;
    private final NodePoller poller;
    private final EntityManager em;
    private final MeterRegistry metrics;
    private final Event<Finished> finishedEvents;
    private final Map<String, Command> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    /** When each node's last command finished: a poll that started before it is stale for decisions. */
    private final Map<String, Instant> lastFinished = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    public CommandRunner(ManagerConfig config, MlNodeClient client, RequestLimiter limiter, NodePoller poller,
                         EntityManager em, MeterRegistry metrics, Event<Finished> finishedEvents) {
        this.config = config;
        this.client = client;
        this.limiter = limiter;
        this.poller = poller;
        this.em = em;
        this.metrics = metrics;
        this.finishedEvents = finishedEvents;
    }

    public int inFlight() {
        return inFlight.size();
    }

    /** The action in flight on a node, if any. */
    public Optional<Reconciler.Action> running(String nodeId) {
        return Optional.ofNullable(inFlight.get(nodeId)).map(Command::action);
    }

    /** Why the node's last command failed, while it waits to be retried. */
    public Optional<String> failure(String nodeId) {
        return Optional.ofNullable(retries.get(nodeId)).map(Retry::reason);
    }

    /** Whether {@code seen} was taken before the node's last command finished, so may show the past. */
    public boolean predatesLastCommand(String nodeId, Observation seen) {
        Instant finishedAt = lastFinished.get(nodeId);
        return finishedAt != null && seen.at().isBefore(finishedAt);
    }

    /** Sends the next command, unless one is in flight (then cancels it if it no longer fits the target). */
    public void drive(Node node, Target target, Observation seen) {
        Command running = inFlight.get(node.id);
        if (running != null) {
            if (!sameGoal(running.target(), target)) {
                Log.infof("node %s: cancelling %s, the node's target changed to %s", node.id, running.action(), target.mode());
                running.cancel();
                inFlight.remove(node.id, running);
            }
            return;
        }
        if (predatesLastCommand(node.id, seen)) {
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

    /** Forgets nodes that are gone, cancelling their commands. */
    public void retainOnly(Collection<String> nodeIds) {
        inFlight.keySet().removeIf(id -> {
            boolean gone = !nodeIds.contains(id);
            if (gone) {
                Command c = inFlight.get(id);
                if (c != null) {
                    c.cancel();
                }
            }
            return gone;
        });
        retries.keySet().retainAll(nodeIds);
        lastFinished.keySet().retainAll(nodeIds);
    }

    public void cancelAll(String why) {
        if (!inFlight.isEmpty()) {
            Log.infof("cancelling %d command(s): %s", inFlight.size(), why);
        }
        inFlight.values().forEach(Command::cancel);
        inFlight.clear();
    }

    /** Shutting down: cancel everything and record no more outcomes. */
    public void stop() {
        stopped = true;
        cancelAll("shutting down");
    }

    private static boolean sameGoal(Target a, Target b) {
        if (a.mode() != b.mode() || !Objects.equals(a.model(), b.model()) || !Objects.equals(a.args(), b.args())) {
            return false;
        }
        return a.poc() == null || b.poc() == null || a.poc().blockHeight() == b.poc().blockHeight();
    }

    private void dispatch(Node node, Reconciler.Action action, Target target) {
        MlNodeEndpoints ep = poller.endpoints(node);
        Log.infof("node %s: %s (target %s %s)", node.id, action, target.mode(), target.model());
        Run run = new Run();
        CompletableFuture<String> work = switch (action) {
            case BRING_UP -> run.step(() -> limiter.call(() -> client.stop(ep)))
                    .thenCompose(v -> run.step(() -> limiter.call(() -> client.inferenceUp(ep, target.inferenceUpBody()))))
                    .thenApply(body -> {
                        if (!"OK".equals(body.path("status").asText())) {
                            throw new CompletionException(new MlNodeCallFailed("inference/up failed: "
                                    + body.path("message").asText(body.toString()), 200));
                        }
                        return "model " + target.model() + " up";
                    });
            case START_GENERATION -> run.step(() -> limiter.call(() -> client.initGenerate(ep, target.poc().initGenerateBody())))
                    .thenApply(body -> "generating for stage " + target.poc().blockHeight());
            case RESTART_GENERATION -> run.step(() -> limiter.call(() -> client.powStop(ep)))
                    .thenCompose(v -> run.step(() -> limiter.call(() -> client.initGenerate(ep, target.poc().initGenerateBody()))))
                    .thenApply(body -> "generating for stage " + target.poc().blockHeight());
            case STOP_GENERATION -> run.step(() -> limiter.call(() -> client.powStop(ep))).thenApply(body -> "generation stopped");
            case NONE -> CompletableFuture.completedFuture("nothing");
        };
        Command command = new Command(action, target, run, work);
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
            text = command.action() + " failed: " + NodePoller.message(error);
            Retry previous = retries.get(nodeId);
            Duration delay = previous == null ? config.retryBackoff()
                    : min(previous.lastDelay().multipliedBy(2), config.retryBackoffMax());
            retries.put(nodeId, new Retry(text, Instant.now().plus(delay), delay));
            Log.warnf("node %s: %s; next attempt in %s", nodeId, text, delay);
        }
        if (stopped) {
            return;
        }
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
        finishedEvents.fire(new Finished(nodeId, command.action()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
