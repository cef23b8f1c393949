package io.gonkanode.api.routing;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Which node serves a request: per model a {@link Balancer} of the routable nodes, the models any
 * registered node lists (to tell "unknown model" from "nobody can serve it now"), suspension of nodes
 * that failed a request, and the queue of requests waiting for a slot.
 */
@ApplicationScoped
public class Router {

    /** A request waiting for capacity on a model; {@code wake} runs when a slot may have freed. */
    public interface Waiter {
        /** Returns false if the waiter is already gone (timed out or answered). */
        boolean wake();
    }

    private final Map<String, Balancer> balancers = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedQueue<Waiter>> waiters = new ConcurrentHashMap<>();
    private volatile Set<String> knownModels = Set.of();
    private volatile Map<String, Backend> byId = Map.of();

    public enum Outcome { RESERVED, FULL, NO_NODE, UNKNOWN_MODEL }

    /** The result of {@link #reserve}. */
    public record Result(Outcome outcome, Backend backend) {
    }

    public Result reserve(String model, Set<Backend> exclude) {
        Balancer b = balancers.get(model);
        if (b == null) {
            return new Result(knownModels.contains(model) ? Outcome.NO_NODE : Outcome.UNKNOWN_MODEL, null);
        }
        Balancer.Pick pick = b.reserve(exclude);
        if (pick.reserved()) {
            return new Result(Outcome.RESERVED, pick.backend());
        }
        return new Result(pick.full() ? Outcome.FULL : Outcome.NO_NODE, null);
    }

    /** Frees a slot and wakes one request waiting for that model. */
    public void release(Backend backend, String model) {
        Balancer b = backend.balancer;
        if (b != null) {
            b.release(backend);
        }
        wakeOne(model);
    }

    private void wakeOne(String model) {
        ConcurrentLinkedQueue<Waiter> queue = waiters.get(model);
        if (queue == null) {
            return;
        }
        Waiter w;
        while ((w = queue.poll()) != null) {
            if (w.wake()) {
                return;
            }
        }
    }

    public void enqueue(String model, Waiter waiter) {
        waiters.computeIfAbsent(model, m -> new ConcurrentLinkedQueue<>()).add(waiter);
    }

    public void dequeue(String model, Waiter waiter) {
        ConcurrentLinkedQueue<Waiter> queue = waiters.get(model);
        if (queue != null) {
            queue.remove(waiter);
        }
    }

    /** Takes a node out of rotation at once, until {@code untilMillis}; afterwards the registry's view decides. */
    public void suspend(Backend backend, long untilMillis, String why) {
        backend.suspendedUntilMillis = untilMillis;
        Balancer b = backend.balancer;
        if (b != null && b.contains(backend)) {
            b.remove(backend);
            Log.warnf("node %s out of rotation: %s", backend.id(), why);
        }
    }

    /** The routable nodes of the latest view, per model, and every model a registered node lists. */
    public record View(Map<String, List<NodeSpec>> routable, Set<String> knownModels) {
    }

    /** A routable node as the registry describes it. */
    public record NodeSpec(String id, int nodeNum, String host, int port, String basePath, int maxConcurrent) {
    }

    /**
     * Applies a new view: new nodes join, gone or unroutable ones leave, known ones keep their object (and
     * in-flight count); suspended nodes stay out until their suspension ends.
     */
    public synchronized void apply(View view) {
        long now = System.currentTimeMillis();
        Map<String, Backend> nextById = new HashMap<>();
        Set<String> models = new HashSet<>(view.routable().keySet());
        models.addAll(balancers.keySet());
        for (String model : models) {
            List<NodeSpec> specs = view.routable().getOrDefault(model, List.of());
            Balancer balancer = balancers.computeIfAbsent(model, m -> new Balancer());
            Set<Backend> keep = new HashSet<>();
            int joined = 0;
            for (NodeSpec s : specs) {
                String key = model + "\n" + s.id();
                Backend existing = byId.get(key);
                Backend b = existing != null && existing.sameEndpoint(s.host(), s.port(), s.basePath()) ? existing
                        : new Backend(s.id(), s.nodeNum(), s.host(), s.port(), s.basePath(), s.maxConcurrent());
                if (b.maxConcurrent != Math.max(1, s.maxConcurrent())) {
                    if (s.maxConcurrent() > b.maxConcurrent) {
                        joined++;
                    }
                    balancer.resize(b, s.maxConcurrent());
                }
                nextById.put(key, b);
                if (b.suspended(now)) {
                    continue;
                }
                keep.add(b);
                if (!balancer.contains(b)) {
                    balancer.add(b);
                    joined++;
                }
            }
            for (Backend old : byId.values()) {
                if (old.balancer == balancer && !keep.contains(old)) {
                    balancer.remove(old);
                }
            }
            if (specs.isEmpty() && balancer.size() == 0) {
                balancers.remove(model);
            } else {
                // a node (re)joined or grew: someone waiting may fit now
                for (int i = 0; i < joined; i++) {
                    wakeOne(model);
                }
            }
        }
        byId = nextById;
        knownModels = Set.copyOf(view.knownModels());
    }

    /** Every backend of the last view (for metrics). */
    public java.util.Collection<Backend> backends() {
        return byId.values();
    }

    /** Models with at least one routable node. */
    public Set<String> servedModels() {
        Set<String> out = new HashSet<>();
        balancers.forEach((m, b) -> {
            if (b.size() > 0) {
                out.add(m);
            }
        });
        return out;
    }
}
