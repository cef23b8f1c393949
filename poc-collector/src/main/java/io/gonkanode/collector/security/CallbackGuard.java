package io.gonkanode.collector.security;

import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.collector.registry.NodeDirectory;
import io.gonkanode.collector.registry.NodeInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who may post PoC batches and validation verdicts. Upstream accepts anyone who reaches port 9100; here a
 * callback is admitted when it carries a callback token — the one node-registry hands ML nodes in their callback
 * URLs (generated and kept there by default; its node view carries only the token's SHA-256), the one this collector
 * puts in its own validation requests ({@link ValidationToken}), or {@code GONKA_CALLBACK_TOKEN} — or when it comes
 * from an allowed source: by default the addresses the registered ML node hosts resolve to ({@code registered}), plus
 * any CIDR blocks listed in {@code gonka.callback.allowed-sources}; {@code any} restores upstream's behaviour.
 */
@ApplicationScoped
public class CallbackGuard {

    public enum Verdict { ADMITTED, BAD_TOKEN, SOURCE_REFUSED }

    private final NodeDirectory nodes;
    private final ValidationToken validationToken;
    private final boolean any;
    private final boolean registered;
    private final List<Cidr> blocks = new ArrayList<>();
    private final Map<String, Long> lastWarned = new ConcurrentHashMap<>();
    private final AtomicLong lastForcedRefresh = new AtomicLong();
    private final MeterRegistry metrics;
    private volatile Set<InetAddress> registeredAddresses = Set.of();
    private volatile boolean registeredLoopback;

    public CallbackGuard(NodeDirectory nodes, CollectorConfig config, MeterRegistry metrics, ValidationToken validationToken) {
        this.nodes = nodes;
        this.validationToken = validationToken;
        this.metrics = metrics;
        refusedCounter(Verdict.BAD_TOKEN);
        refusedCounter(Verdict.SOURCE_REFUSED); // both at 0 from the start, so the first refusal is an increase
        boolean anySource = false;
        boolean registeredSources = false;
        for (String source : config.callback().allowedSources()) {
            String s = source.trim().toLowerCase(Locale.ROOT);
            switch (s) {
                case "any" -> anySource = true;
                case "registered" -> registeredSources = true;
                case "none", "" -> { }
                default -> blocks.add(parse(source));
            }
        }
        this.any = anySource;
        this.registered = registeredSources;
        Log.infof("callbacks admitted with a callback token (%s, and node-registry's), or %s",
                validationToken.chosen() ? "GONKA_CALLBACK_TOKEN" : "this collector's kept one", describeSources());
    }

    private static Cidr parse(String source) {
        try {
            return Cidr.parse(source);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("GONKA_CALLBACK_ALLOWED_SOURCES: " + e.getMessage()
                    + " (use registered, any, none, or IP addresses and CIDR blocks)");
        }
    }

    private String describeSources() {
        if (any) {
            return "from any address";
        }
        List<String> parts = new ArrayList<>();
        if (registered) {
            parts.add("the registered ML node hosts");
        }
        for (Cidr c : blocks) {
            parts.add(c.toString());
        }
        return parts.isEmpty() ? "from no address" : "from " + String.join(", ", parts);
    }

    /** GONKA_CALLBACK_TOKEN's or this collector's kept token, or the one whose SHA-256 node-registry's view carries. */
    private boolean tokenMatches(byte[] presented) {
        boolean own = validationToken.matches(presented);
        Optional<byte[]> handed = nodes.callbackTokenSha256();
        boolean registry = handed.isPresent() && MessageDigest.isEqual(handed.get(), sha256(presented));
        return own | registry;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The verdict for a callback from {@code source} presenting {@code presentedToken} (null: none). A wrong
     * token is refused even from an allowed address: it means a misconfigured or hostile sender.
     */
    public Verdict admit(String presentedToken, String source) {
        if (presentedToken != null) {
            byte[] presented = presentedToken.getBytes(StandardCharsets.UTF_8);
            if (tokenMatches(presented)) {
                return Verdict.ADMITTED;
            }
            // just started, or the registry's token changed: look again, at most once a second
            if (forcedRefreshAllowed()) {
                nodes.refresh();
                try {
                    validationToken.load();
                } catch (RuntimeException e) {
                    Log.debugf("kept validation token not read: %s", e.getMessage());
                }
                if (tokenMatches(presented)) {
                    return Verdict.ADMITTED;
                }
            }
            return refuse(Verdict.BAD_TOKEN, source);
        }
        if (any) {
            return Verdict.ADMITTED;
        }
        InetAddress address = literal(source);
        if (address == null) {
            return refuse(Verdict.SOURCE_REFUSED, source);
        }
        for (Cidr c : blocks) {
            if (c.contains(address)) {
                return Verdict.ADMITTED;
            }
        }
        if (registered) {
            if (isRegistered(address)) {
                return Verdict.ADMITTED;
            }
            // a node registered a moment ago: look again, at most once a second
            if (forcedRefreshAllowed()) {
                nodes.refresh();
                resolve();
                if (isRegistered(address)) {
                    return Verdict.ADMITTED;
                }
            }
        }
        return refuse(Verdict.SOURCE_REFUSED, source);
    }

    private boolean forcedRefreshAllowed() {
        long now = System.currentTimeMillis();
        long last = lastForcedRefresh.get();
        return now - last > 1000 && lastForcedRefresh.compareAndSet(last, now);
    }

    private Counter refusedCounter(Verdict verdict) {
        return Counter.builder("collector.callbacks.refused").tag("reason", verdict == Verdict.BAD_TOKEN ? "token" : "source")
                .description("Callbacks refused by the callback guard").register(metrics);
    }

    private boolean isRegistered(InetAddress address) {
        return registeredAddresses.contains(address) || (registeredLoopback && address.isLoopbackAddress());
    }

    private Verdict refuse(Verdict verdict, String source) {
        refusedCounter(verdict).increment();
        long now = System.currentTimeMillis();
        Long last = lastWarned.get(source);
        if (last == null || now - last > 60_000) {
            lastWarned.put(source, now);
            Log.warnf("callback from %s refused: %s", source, verdict == Verdict.BAD_TOKEN ? "wrong callback token"
                    : "not a registered ML node host (GONKA_CALLBACK_ALLOWED_SOURCES, GONKA_CALLBACK_TOKEN)");
        }
        return verdict;
    }

    /** Re-resolves the registered hosts; names are looked up here, off the request path. */
    @Scheduled(every = "${gonka.registry.refresh-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resolve() {
        if (!registered) {
            return;
        }
        Set<InetAddress> next = new HashSet<>();
        for (NodeInfo node : nodes.all()) {
            try {
                for (InetAddress a : InetAddress.getAllByName(node.host())) {
                    next.add(a);
                }
            } catch (Exception e) {
                Log.debugf("host %s of node %s does not resolve: %s", node.host(), node.id(), e.getMessage());
            }
        }
        registeredAddresses = Set.copyOf(next);
        registeredLoopback = next.stream().anyMatch(InetAddress::isLoopbackAddress);
    }

    private static InetAddress literal(String source) {
        if (source == null || source.isEmpty()) {
            return null;
        }
        try {
            // a literal from the socket: parsed, never looked up
            return InetAddress.getByName(source);
        } catch (Exception e) {
            return null;
        }
    }
}
