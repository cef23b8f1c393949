package io.gonkanode.bench;

import io.gonkanode.api.routing.Backend;
import io.gonkanode.api.routing.Balancer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The routing decision of api-node: pick the least-loaded of N eligible nodes and reserve a slot on it
 * (one step under the balancer's lock), among 10, 1,000 and 10,000 nodes. {@code pickAndRelease} is one
 * thread doing both; the {@code contended} group picks on one thread while another releases the slots
 * of finished requests, as the proxy's event loops do.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {

    @Param({"10", "1000", "10000"})
    int nodes;

    Balancer balancer;
    final ArrayBlockingQueue<Backend> inFlight = new ArrayBlockingQueue<>(1 << 16);

    @Setup(Level.Trial)
    public void fleet() {
        balancer = new Balancer();
        for (int i = 0; i < nodes; i++) {
            // mixed sizes, as a real fleet: 8 to 512 slots
            balancer.add(new Backend("node-" + i, i + 1, "10.0." + (i >> 8) + "." + (i & 255), 5050, "", 8 << (i % 7)));
        }
        // a fleet under way: some slots of every node taken
        for (int i = 0; i < nodes * 20; i++) {
            Balancer.Pick p = balancer.reserve(Set.of());
            if (!p.reserved()) {
                break;
            }
        }
    }

    @Benchmark
    @Group("single")
    public Backend pickAndRelease() {
        Balancer.Pick p = balancer.reserve(Set.of());
        balancer.release(p.backend());
        return p.backend();
    }

    @Benchmark
    @Group("contended")
    @GroupThreads(1)
    public void pick(Blackhole bh) {
        Balancer.Pick p = balancer.reserve(Set.of());
        if (p.reserved() && !inFlight.offer(p.backend())) {
            balancer.release(p.backend());
        }
        bh.consume(p);
    }

    @Benchmark
    @Group("contended")
    @GroupThreads(1)
    public void release(Blackhole bh) {
        Backend b = inFlight.poll();
        if (b != null) {
            balancer.release(b);
        }
        bh.consume(b);
    }
}
