package io.gonkanode.collector.registry;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registered nodes by node_num, refreshed from node-registry's {@code /internal/v1/nodes} (ETag/304).
 * If the registry cannot be reached the last view stays; a node_num not in the view triggers one refresh
 * (a node registered a moment ago) before a batch is refused for it. The view also carries the SHA-256 of the callback token.
 */
@ApplicationScoped
public class NodeDirectory {

    private final RegistryApi registry;
    private final AtomicLong lastForcedRefresh = new AtomicLong();
    private volatile Map<Integer, NodeInfo> byNum = Map.of();
    private volatile String etag;
    private volatile Optional<byte[]> callbackTokenSha256 = Optional.empty();
    private volatile boolean loaded;

    public NodeDirectory(@RestClient RegistryApi registry) {
        this.registry = registry;
    }

    @Scheduled(every = "${gonka.registry.refresh-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        refresh();
    }

    /** Fetches the view; false when the registry did not answer. */
    public synchronized boolean refresh() {
        try (Response r = registry.nodes(etag)) {
            if (r.getStatus() == 304) {
                return true;
            }
            if (r.getStatus() != 200) {
                Log.warnf("node-registry answered %d for the node view", r.getStatus());
                return false;
            }
            Map<Integer, NodeInfo> next = new HashMap<>();
            RegistryNodes view = r.readEntity(RegistryNodes.class);
            callbackTokenSha256 = Optional.ofNullable(view.callbackTokenSha256()).filter(h -> h.matches("[0-9a-f]{64}"))
                    .map(h -> java.util.HexFormat.of().parseHex(h));
            for (NodeInfo n : view.infos()) {
                next.put(n.nodeNum(), n);
            }
            byNum = Map.copyOf(next);
            etag = r.getHeaderString("ETag");
            if (!loaded) {
                Log.infof("node view loaded: %d node(s)", next.size());
            }
            loaded = true;
            return true;
        } catch (Exception e) {
            Log.debugf("node-registry unreachable, keeping the last node view: %s", e.getMessage());
            return false;
        }
    }

    /** The node with this node_num, refreshing once (at most every second) if it is not known yet. */
    public Optional<NodeInfo> byNum(int nodeNum) {
        NodeInfo node = byNum.get(nodeNum);
        if (node == null) {
            long now = System.currentTimeMillis();
            long last = lastForcedRefresh.get();
            if (now - last > 1000 && lastForcedRefresh.compareAndSet(last, now)) {
                refresh();
                node = byNum.get(nodeNum);
            }
        }
        return Optional.ofNullable(node);
    }

    /** The SHA-256 of the token node-registry hands ML nodes in their callback URLs, as of the last view. */
    public Optional<byte[]> callbackTokenSha256() {
        return callbackTokenSha256;
    }

    public Collection<NodeInfo> all() {
        return byNum.values();
    }

    public List<NodeInfo> sorted() {
        return byNum.values().stream().sorted((a, b) -> Integer.compare(a.nodeNum(), b.nodeNum())).toList();
    }

    public int maxNodeNum() {
        return byNum.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    public boolean loaded() {
        return loaded;
    }
}
