package io.gonkanode.sim.node;

import io.gonkanode.sim.fault.Faults;
import io.gonkanode.sim.inference.InferenceStats;
import io.gonkanode.sim.poc.PocEngine;

/**
 * One simulated ML node: its service state, faults, PoC engine and inference counters. A process plays one node
 * by default and many with SIM_NODES; each has its own management port, and a request is served by the node whose
 * port it arrived on (see {@link SimNodes#at}).
 */
public final class SimNode {

    private final int index;
    private final Faults faults;
    private final InferenceStats stats;
    private final PocEngine poc;
    private final MlNode ml;
    private volatile int managementPort;

    SimNode(int index, Faults faults, InferenceStats stats, PocEngine poc, MlNode ml) {
        this.index = index;
        this.faults = faults;
        this.stats = stats;
        this.poc = poc;
        this.ml = ml;
    }

    /** 0 for the node on the Quarkus HTTP port, 1 ... SIM_NODES - 1 for the others. */
    public int index() {
        return index;
    }

    public Faults faults() {
        return faults;
    }

    public InferenceStats stats() {
        return stats;
    }

    public PocEngine poc() {
        return poc;
    }

    public MlNode ml() {
        return ml;
    }

    /** The port its management API listens on; 0 for node 0 until Quarkus reports it (the HTTP port). */
    public int managementPort() {
        return managementPort;
    }

    void managementPort(int port) {
        managementPort = port;
    }
}
