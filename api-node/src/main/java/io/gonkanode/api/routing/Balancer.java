package io.gonkanode.api.routing;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The nodes serving one model, ordered by load: an indexed binary heap keyed by in-flight/max_concurrent
 * (compared exactly, as cross products), ties going to the node picked least recently. Picking the
 * least-loaded node and reserving its slot is one step under one lock, so max_concurrent can never be
 * exceeded, and both picking and releasing cost O(log n) — microseconds at 10,000 nodes.
 */
public final class Balancer {

    /** Outcome of a pick: a reserved backend, or why there is none. */
    public record Pick(Backend backend, boolean full) {
        static final Pick NONE = new Pick(null, false);
        static final Pick FULL = new Pick(null, true);

        public boolean reserved() {
            return backend != null;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private Backend[] heap = new Backend[16];
    private int size;
    private long sequence;

    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Reserves a slot on the least-loaded member not in {@code exclude}. */
    public Pick reserve(Set<Backend> exclude) {
        lock.lock();
        try {
            if (size == 0) {
                return Pick.NONE;
            }
            if (exclude.isEmpty()) {
                return take(heap[0]);
            }
            // the excluded (already tried) nodes are few: set them aside, pick, put them back
            Backend[] aside = new Backend[exclude.size()];
            int n = 0;
            while (size > 0 && exclude.contains(heap[0])) {
                aside[n++] = heap[0];
                removeAt(0);
            }
            Pick pick = size == 0 ? Pick.NONE : take(heap[0]);
            for (int i = 0; i < n; i++) {
                insert(aside[i]);
            }
            return pick;
        } finally {
            lock.unlock();
        }
    }

    private Pick take(Backend top) {
        if (top.inFlight >= top.maxConcurrent) {
            return Pick.FULL;
        }
        top.inFlight++;
        top.lastPick = ++sequence;
        siftDown(top.heapIndex);
        return new Pick(top, false);
    }

    /** Gives a slot back (also for a backend that has meanwhile left the heap). */
    public void release(Backend b) {
        lock.lock();
        try {
            if (b.inFlight > 0) {
                b.inFlight--;
            }
            if (b.heapIndex >= 0 && heap[b.heapIndex] == b) {
                siftUp(b.heapIndex);
            }
        } finally {
            lock.unlock();
        }
    }

    public void add(Backend b) {
        lock.lock();
        try {
            if (b.heapIndex < 0 || heap[b.heapIndex] != b) {
                b.balancer = this;
                insert(b);
            }
        } finally {
            lock.unlock();
        }
    }

    public void remove(Backend b) {
        lock.lock();
        try {
            if (b.heapIndex >= 0 && b.heapIndex < size && heap[b.heapIndex] == b) {
                removeAt(b.heapIndex);
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean contains(Backend b) {
        lock.lock();
        try {
            return b.heapIndex >= 0 && b.heapIndex < size && heap[b.heapIndex] == b;
        } finally {
            lock.unlock();
        }
    }

    /** A member's max_concurrent changed: re-place it. */
    public void resize(Backend b, int maxConcurrent) {
        lock.lock();
        try {
            b.maxConcurrent = Math.max(1, maxConcurrent);
            if (b.heapIndex >= 0 && b.heapIndex < size && heap[b.heapIndex] == b) {
                siftUp(b.heapIndex);
                siftDown(b.heapIndex);
            }
        } finally {
            lock.unlock();
        }
    }

    int inFlightOf(Backend b) {
        lock.lock();
        try {
            return b.inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** True when a has priority over b: lower load, then picked longer ago. */
    private static boolean before(Backend a, Backend b) {
        long left = (long) a.inFlight * b.maxConcurrent;
        long right = (long) b.inFlight * a.maxConcurrent;
        if (left != right) {
            return left < right;
        }
        return a.lastPick < b.lastPick;
    }

    private void insert(Backend b) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = b;
        b.heapIndex = size;
        size++;
        siftUp(b.heapIndex);
    }

    private void removeAt(int i) {
        Backend removed = heap[i];
        size--;
        if (i != size) {
            heap[i] = heap[size];
            heap[i].heapIndex = i;
            heap[size] = null;
            siftDown(i);
            siftUp(heap[i].heapIndex);
        } else {
            heap[size] = null;
        }
        removed.heapIndex = -1;
    }

    private void siftUp(int i) {
        Backend b = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Backend p = heap[parent];
            if (!before(b, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = b;
        b.heapIndex = i;
    }

    private void siftDown(int i) {
        Backend b = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], b)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = b;
        b.heapIndex = i;
    }
}
