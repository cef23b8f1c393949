package io.gonkanode.registry.manager;

import io.gonkanode.registry.mlnode.Untrusted;
import io.gonkanode.registry.node.Node;
import io.gonkanode.registry.node.NodeState;
import io.gonkanode.registry.node.NodeStatus;
import io.gonkanode.registry.node.PocStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes what one pass observed: per node the status upstream would show for the poll (see
 * {@link Reconciler#status}), its intentions and the command in flight, only where something changed, all
 * in one transaction (one by one when that fails, so one node's row cannot hold back the others'). Keeps
 * the {@code registry_nodes} gauges by status.
 */
@ApplicationScoped
public class StateRecorder {

    /** How long a written last_seen stays fresh enough not to be rewritten. */
    static final Duration LAST_SEEN_RESOLUTION = Duration.ofSeconds(30);

    private final CommandRunner commands;
    private final EntityManager em;
    private final Map<NodeStatus, AtomicInteger> byStatus = new EnumMap<>(NodeStatus.class);
    private final MultiGauge perNode;

    public StateRecorder(CommandRunner commands, EntityManager em, MeterRegistry metrics) {
        this.commands = commands;
        this.em = em;
        for (NodeStatus status : List.of(NodeStatus.UNKNOWN, NodeStatus.INFERENCE, NodeStatus.POC, NodeStatus.STOPPED,
                NodeStatus.FAILED)) {
            AtomicInteger count = new AtomicInteger();
            byStatus.put(status, count);
            Gauge.builder("registry.nodes", count, AtomicInteger::get).tag("status", status.name())
                    .description("Nodes by observed status (as seen by the leader)").register(metrics);
        }
        perNode = MultiGauge.builder("registry.node.status")
                .description("1 per node, labelled with its observed status (as seen by the leader)").register(metrics);
    }

    /** One node as the pass saw it: the row before, what the poll saw, what the node should do. */
    public record Seen(Node node, NodeState before, Observation observation, Target target) {
    }

    public void record(List<Seen> pass) {
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        List<Runnable> writes = new ArrayList<>();
        for (Seen seen : pass) {
            if (seen.before() != null && commands.predatesLastCommand(seen.node().id, seen.observation())) {
                counts.merge(seen.before().currentStatus, 1, Integer::sum);
                rows.add(MultiGauge.Row.of(Tags.of("node", seen.node().id, "status", seen.before().currentStatus.name()), 1));
                continue; // seen before the last command finished: it may show the past
            }
            NodeState.Update update = update(seen);
            counts.merge(update.current(), 1, Integer::sum);
            rows.add(MultiGauge.Row.of(Tags.of("node", seen.node().id, "status", update.current().name()), 1));
            if (seen.before() == null || seen.before().differsFrom(update, LAST_SEEN_RESOLUTION)) {
                writes.add(() -> write(seen.node().id, update));
            }
        }
        if (!writes.isEmpty()) {
            try {
                QuarkusTransaction.requiringNew().run(() -> writes.forEach(Runnable::run));
            } catch (RuntimeException e) {
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
        perNode.register(rows, true);
    }

    /** The row's new content: the poll's status (FAILED while a failed command waits to be retried). */
    private NodeState.Update update(Seen seen) {
        Observation o = seen.observation();
        Target target = seen.target();
        String nodeId = seen.node().id;
        NodeState before = seen.before();
        boolean loading = commands.running(nodeId).orElse(null) == Reconciler.Action.BRING_UP;
        Reconciler.Status previous = before == null ? new Reconciler.Status(NodeStatus.UNKNOWN, PocStatus.IDLE, "")
                : new Reconciler.Status(before.currentStatus, before.pocCurrentStatus, before.failureReason);
        Reconciler.Status status = Reconciler.status(o, target.model(), loading, previous);
        String failed = commands.failure(nodeId).orElse(null);
        if (failed != null && o.reachable() && Reconciler.decide(target, o) != Reconciler.Action.NONE) {
            status = new Reconciler.Status(NodeStatus.FAILED, status.poc(), failed);
        }
        NodeStatus intended = target.intendedStatus() != null ? target.intendedStatus() : status.current();
        PocStatus pocIntended = target.pocIntendedStatus() != null ? target.pocIntendedStatus() : status.poc();
        return new NodeState.Update(status.current(), status.poc(), Untrusted.text(status.failureReason(), 1000), intended,
                pocIntended, commands.running(nodeId).map(Enum::name).orElse(null), o.reachable(), o.version(),
                o.loadedModel(), o.inferenceHealthy(), o.pocValidationInference(), o.at());
    }

    private void write(String nodeId, NodeState.Update update) {
        NodeState state = em.find(NodeState.class, nodeId);
        if (state == null) {
            if (em.find(Node.class, nodeId) == null) {
                return; // deleted meanwhile
            }
            state = NodeState.initial(nodeId, Instant.now());
            em.persist(state);
        }
        NodeStatus before = state.apply(update);
        if (before != null) {
            Log.infof("node %s: %s -> %s%s", nodeId, before, update.current(),
                    update.failureReason().isEmpty() ? "" : " (" + update.failureReason() + ")");
        }
    }
}
