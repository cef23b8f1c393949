package io.gonkanode.api.routing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BalancerTest {

    static Backend node(String id, int max) {
        return new Backend(id, id.hashCode(), "127.0.0.1", 1, "", max);
    }

    @Test
    void picksTheLowestInFlightOverMaxConcurrentAndFillsByRatio() {
        Balancer b = new Balancer();
        Backend small = node("small", 2);
        Backend big = node("big", 6);
        b.add(small);
        b.add(big);
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            Balancer.Pick p = b.reserve(Set.of());
            assertTrue(p.reserved());
            picks.merge(p.backend().id(), 1, Integer::sum);
        }
        assertEquals(Map.of("small", 2, "big", 6), picks, "filled in proportion to max_concurrent");
        Balancer.Pick none = b.reserve(Set.of());
        assertTrue(none.full());
        assertNull(none.backend());
    }

    @Test
    void aReleasedSlotIsReusedAndNeverExceedsTheCap() {
        Balancer b = new Balancer();
        Backend n = node("n", 1);
        b.add(n);
        assertSame(n, b.reserve(Set.of()).backend());
        assertTrue(b.reserve(Set.of()).full());
        b.release(n);
        assertSame(n, b.reserve(Set.of()).backend());
        assertEquals(1, n.inFlight());
    }

    @Test
    void excludedNodesAreSkippedAndKept() {
        Balancer b = new Balancer();
        Backend a = node("a", 4);
        Backend c = node("c", 4);
        b.add(a);
        b.add(c);
        assertSame(c, b.reserve(Set.of(a)).backend());
        assertSame(a, b.reserve(Set.of(c)).backend());
        assertFalse(b.reserve(Set.of(a, c)).reserved());
        assertEquals(2, b.size());
    }

    @Test
    void tiesGoToTheLeastRecentlyPicked() {
        Balancer b = new Balancer();
        List<Backend> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Backend n = node("n" + i, 10);
            nodes.add(n);
            b.add(n);
        }
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Backend picked = b.reserve(Set.of()).backend();
            order.add(picked.id());
            b.release(picked);
        }
        assertEquals(order.subList(0, 3), order.subList(3, 6), "round robin when idle");
        assertEquals(3, order.subList(0, 3).stream().distinct().count());
    }

    @Test
    void removedNodesAreNotPickedButCanStillRelease() {
        Balancer b = new Balancer();
        Backend a = node("a", 2);
        b.add(a);
        assertSame(a, b.reserve(Set.of()).backend());
        b.remove(a);
        assertFalse(b.reserve(Set.of()).reserved());
        b.release(a);
        assertEquals(0, a.inFlight());
    }

    @Test
    void concurrentReservationsNeverExceedAnyCap() throws Exception {
        Balancer b = new Balancer();
        List<Backend> nodes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Backend n = node("n" + i, 1 + i % 5);
            nodes.add(n);
            b.add(n);
        }
        Map<Backend, AtomicInteger> live = new ConcurrentHashMap<>();
        AtomicInteger violations = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    Balancer.Pick p = b.reserve(Set.of());
                    if (!p.reserved()) {
                        continue;
                    }
                    int now = live.computeIfAbsent(p.backend(), k -> new AtomicInteger()).incrementAndGet();
                    if (now > p.backend().maxConcurrent()) {
                        violations.incrementAndGet();
                    }
                    live.get(p.backend()).decrementAndGet();
                    b.release(p.backend());
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, violations.get());
        nodes.forEach(n -> assertEquals(0, n.inFlight()));
    }
}
