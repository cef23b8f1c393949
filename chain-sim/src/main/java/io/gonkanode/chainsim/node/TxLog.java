package io.gonkanode.chainsim.node;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Every transaction chain-sim saw, for tests and operators: its hash, where it ended (refused at CheckTx, or
 * included at a height with a code), and its inner messages. The last {@value #KEPT} are kept.
 */
@ApplicationScoped
public class TxLog {

    static final int KEPT = 20_000;

    /** One transaction's fate. {@code height} is 0 for one refused at CheckTx. */
    public record Entry(String hash, Instant at, long height, int code, String codespace, String log, String signer,
                        List<String> messageTypes, List<String> messagesJson) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    public synchronized void record(Entry e) {
        entries.addLast(e);
        while (entries.size() > KEPT) {
            entries.removeFirst();
        }
    }

    public synchronized List<Entry> since(long height) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.height() == 0 || e.height() >= height) {
                out.add(e);
            }
        }
        return out;
    }
}
