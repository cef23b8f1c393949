package io.gonkanode.chainsim.node;

import io.gonkanode.chainsim.tx.Tx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Transactions that passed CheckTx and wait for the next block, by hash, in arrival order. */
@ApplicationScoped
public class Mempool {

    /** CometBFT's default mempool size. */
    public static final int CAPACITY = 5000;

    private final Map<String, Tx> pending = new LinkedHashMap<>();

    public synchronized boolean contains(String hash) {
        return pending.containsKey(hash);
    }

    public synchronized boolean full() {
        return pending.size() >= CAPACITY;
    }

    public synchronized void add(Tx tx) {
        pending.putIfAbsent(tx.hash(), tx);
    }

    /** Takes up to {@code max} transactions for a block. */
    public synchronized List<Tx> take(int max) {
        List<Tx> out = new ArrayList<>();
        var it = pending.values().iterator();
        while (it.hasNext() && out.size() < max) {
            out.add(it.next());
            it.remove();
        }
        return out;
    }

    public synchronized int size() {
        return pending.size();
    }
}
