package io.gonkanode.sim.poc;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A queued /generate request on one backend and, once done, its result. */
final class Job {

    final String id;
    final int port;
    final PocRequests.Generate request;
    volatile String status = "queued";
    volatile ObjectNode result;
    volatile String error;
    volatile long finishedAtMillis;

    Job(String id, int port, PocRequests.Generate request) {
        this.id = id;
        this.port = port;
        this.request = request;
    }

    String compositeId() {
        return port + ":" + id;
    }

    boolean finished() {
        return "completed".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }
}
