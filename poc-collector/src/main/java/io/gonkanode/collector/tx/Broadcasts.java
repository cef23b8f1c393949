package io.gonkanode.collector.tx;

import java.util.List;
import java.util.Locale;

/**
 * What an answer of the chain node means for a queued tx (writes spec §2.5, upstream's classification): in the
 * mempool (code 0, or 19 "already in the mempool cache") it is observed by hash; a full mempool (20) or a log
 * naming a passing condition is retried with a fresh signature; anything else is a failure. A CheckTx rejection is
 * a failure, never a success, whatever the broadcast's transport said.
 */
final class Broadcasts {

    enum Verdict { OBSERVE, RETRY, FAIL }

    static final long IN_MEMPOOL_CACHE = 19;
    static final long MEMPOOL_FULL = 20;

    static final List<String> RETRYABLE = List.of("connection refused", "connection reset", "i/o timeout", "context deadline exceeded",
            "broken pipe", "eof", "no such host", "network is unreachable", "no route to host", "certificate", "post failed",
            "bad gateway", "service unavailable", "gateway timeout", "rpc error", "aborted", "too many open files", "mempool is full",
            "account sequence mismatch", "incorrect account sequence",
            "unordered transaction has a timeout_timestamp that has already passed", "unordered tx ttl exceeds", "out of gas");

    private Broadcasts() {
    }

    static Verdict checkTx(long code, String log) {
        if (code == 0 || code == IN_MEMPOOL_CACHE) {
            return Verdict.OBSERVE;
        }
        return code == MEMPOOL_FULL || retryable(log) ? Verdict.RETRY : Verdict.FAIL;
    }

    /** An included tx whose DeliverTx failed: retried only for a passing cause (out of gas: the next attempt has twice the gas). */
    static Verdict deliverTx(long code, String log) {
        if (code == 0) {
            return Verdict.OBSERVE;
        }
        return retryable(log) ? Verdict.RETRY : Verdict.FAIL;
    }

    static boolean retryable(String log) {
        String l = log == null ? "" : log.toLowerCase(Locale.ROOT);
        return RETRYABLE.stream().anyMatch(l::contains);
    }
}
