package io.gonkanode.api.routing;

/**
 * One routable ML node: where its inference API answers, its max_concurrent and the requests in flight
 * on it. In-flight counts change only under its {@link Balancer}'s lock; a backend keeps its count across
 * node-view refreshes, so requests running during a refresh are still counted.
 */
public final class Backend {

    final String id;
    final int nodeNum;
    final String host;
    final int port;
    final String basePath;
    volatile int maxConcurrent;
    int inFlight;
    long lastPick;
    int heapIndex = -1;
    volatile Balancer balancer;
    volatile long suspendedUntilMillis;

    public Backend(String id, int nodeNum, String host, int port, String basePath, int maxConcurrent) {
        this.id = id;
        this.nodeNum = nodeNum;
        this.host = host;
        this.port = port;
        this.basePath = basePath == null ? "" : basePath;
        this.maxConcurrent = Math.max(1, maxConcurrent);
    }

    public String id() {
        return id;
    }

    public int nodeNum() {
        return nodeNum;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String basePath() {
        return basePath;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** Requests in flight now (a snapshot). */
    public int inFlight() {
        Balancer b = balancer;
        if (b == null) {
            synchronized (this) {
                return inFlight;
            }
        }
        return b.inFlightOf(this);
    }

    public boolean suspended(long nowMillis) {
        return suspendedUntilMillis > nowMillis;
    }

    /** Same node at the same address: a view refresh keeps the object (and its in-flight count). */
    public boolean sameEndpoint(String host, int port, String basePath) {
        return this.host.equals(host) && this.port == port && this.basePath.equals(basePath == null ? "" : basePath);
    }

    @Override
    public String toString() {
        return id + "@" + host + ":" + port + " " + inFlight + "/" + maxConcurrent;
    }
}
