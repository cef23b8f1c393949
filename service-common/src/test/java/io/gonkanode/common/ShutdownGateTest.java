package io.gonkanode.common;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShutdownGateTest {

    @Test
    void aShutdownWaitsForWorkUnderWayAndLetsNoneStart() throws Exception {
        ShutdownGate gate = new ShutdownGate();
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> gate.run(() -> {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add("work done");
        }));
        worker.start();
        assertTrue(started.await(30, TimeUnit.SECONDS));
        Thread closer = new Thread(() -> {
            gate.close();
            events.add("closed");
        });
        closer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!gate.closed() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(gate.closed());
        gate.run(() -> events.add("work after close"));
        release.countDown();
        closer.join(30_000);
        worker.join(30_000);
        assertEquals(List.of("work done", "closed"), events);
    }
}
