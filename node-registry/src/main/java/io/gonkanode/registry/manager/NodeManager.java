package io.gonkanode.registry.manager;

import io.gonkanode.common.ShutdownGate;
import io.gonkanode.registry.config.GonkaConfig;
import io.gonkanode.registry.config.ManagerConfig;
import io.gonkanode.registry.node.Node;
import io.gonkanode.registry.node.NodeState;
import io.gonkanode.registry.round.Round;
import io.gonkanode.registry.round.RoundService;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node manager: a reconciler in the spirit of a Kubernetes controller. Every poll interval (and at
 * once after a round change or a finished command) the leader polls every node ({@link NodePoller}),
 * records what it saw ({@link StateRecorder}) and has the {@link CommandRunner} send each node the one
 * command that brings it closer to its target ({@link Targets}, {@link Reconciler}).
 *
 * <p>The loop is its own single thread rather than {@code @Scheduled}: besides the fixed interval it runs a
 * coalesced tick soon after every finished command and round change, and ticks must never overlap.
 */
@ApplicationScoped
public class NodeManager {

    private final ManagerConfig config;
    private final LeaderLock leader;
    private final Targets targets;
    private final NodePoller poller;
    private final StateRecorder recorder;
    private final CommandRunner commands;
    private final GonkaConfig network;
    private final EntityManager em;
    private final ShutdownGate gate;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-manager");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean tickPending = new AtomicBoolean();
    private final io.micrometer.core.instrument.Timer passTimer;
    private volatile boolean running;

    public NodeManager(ManagerConfig config, LeaderLock leader, Targets targets, NodePoller poller, StateRecorder recorder,
                       CommandRunner commands, GonkaConfig network, EntityManager em, ShutdownGate gate,
                       io.micrometer.core.instrument.MeterRegistry metrics) {
        this.passTimer = io.micrometer.core.instrument.Timer.builder("registry.manager.pass")
                .description("One pass of the node manager: every node polled, what was seen recorded, commands started")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.gate = gate;
        this.config = config;
        this.leader = leader;
        this.targets = targets;
        this.poller = poller;
        this.recorder = recorder;
        this.commands = commands;
        this.network = network;
        this.em = em;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("node manager disabled (gonka.manager.enabled=false)");
            return;
        }
        running = true;
        // at a fixed rate: a pass that takes 2 s (1,000 nodes) still leaves every node polled every interval, not every
        // interval + 2 s; a pass longer than the interval is followed at once by the next, never overlapped
        loop.scheduleAtFixedRate(this::safeTick, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        Log.infof("node manager started: poll every %s, callbacks to %s", config.pollInterval(), network.pocCallbackUrl());
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        loop.shutdownNow();
        commands.stop();
    }

    void onRoundChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) RoundService.Changed changed) {
        requestTick();
    }

    void onCommandFinished(@Observes CommandRunner.Finished finished) {
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
        return commands.inFlight();
    }

    private void safeTick() {
        tickPending.set(false);
        gate.run(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                Log.warnf("node manager tick failed: %s", e.toString());
            }
        });
    }

    /** One reconciliation pass; package-visible so tests can drive the manager step by step. */
    void tick() {
        if (!leader.holds()) {
            commands.cancelAll("leadership lost");
            return;
        }
        long started = System.nanoTime();
        Snapshot snapshot = QuarkusTransaction.requiringNew().call(this::load);
        Map<String, CompletableFuture<Observation>> polls = new HashMap<>();
        for (Node node : snapshot.nodes) {
            polls.put(node.id, poller.poll(node));
        }
        long waitMillis = config.pollTimeout().toMillis() * 3 + 1000;
        List<StateRecorder.Seen> pass = new ArrayList<>();
        for (Node node : snapshot.nodes) {
            Observation seen;
            try {
                seen = polls.get(node.id).get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (Exception ex) {
                seen = Observation.unreachable("poll did not complete: " + ex, Instant.now());
            }
            pass.add(new StateRecorder.Seen(node, snapshot.states.get(node.id), seen, targets.of(node, snapshot.round)));
        }
        recorder.record(pass);
        for (StateRecorder.Seen seen : pass) {
            if (!snapshot.underTest.contains(seen.node().id)) { // a self-test drives the node it holds
                commands.drive(seen.node(), seen.target(), seen.observation());
            }
        }
        commands.retainOnly(snapshot.nodes.stream().map(n -> n.id).toList());
        passTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private record Snapshot(List<Node> nodes, Map<String, NodeState> states, Round round, java.util.Set<String> underTest) {
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
        return new Snapshot(nodes, states, round, io.gonkanode.registry.node.SelfTestLeases.underTest(em));
    }
}
