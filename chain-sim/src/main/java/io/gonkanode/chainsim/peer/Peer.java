package io.gonkanode.chainsim.peer;

import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.proofs.ProofClient;
import io.gonkanode.protocol.proofs.ProofService;
import io.gonkanode.protocol.tx.Seeds;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One simulated host: its keys, behaviour and public URL, its artifact store and proofs API, its client for other
 * hosts' proofs APIs, and what it did (transactions and votes) for {@code GET /sim/v1/peers}.
 */
final class Peer {

    /** A vote this peer gave. */
    record Vote(long stage, String participant, String model, long weight, String reason) {
    }

    /** A transaction this peer sent and what CheckTx said. */
    record Sent(long height, String type, int code, String log) {
    }

    private static final int KEPT = 200;

    final int index;
    final PeerKeys keys;
    final Behaviour behaviour;
    final String inferenceUrl;
    /** The warm account's number, fixed at genesis: what every SignDoc of this peer carries. */
    final long warmAccountNumber;
    final PeerArtifacts artifacts;
    final PeerTxs txs;
    final ProofService proofs;
    final ProofClient client;
    /** Epoch → the seed this peer derived for it. */
    final Map<Long, Seeds.Seed> seeds = new ConcurrentHashMap<>();
    /** Stage → the count last sent in a commit (one model per peer). */
    final Map<Long, Long> committing = new ConcurrentHashMap<>();
    final Map<Long, Boolean> distributed = new ConcurrentHashMap<>();
    private final Deque<Vote> votes = new ArrayDeque<>();
    private final Deque<Sent> sent = new ArrayDeque<>();

    Peer(int index, PeerKeys keys, Behaviour behaviour, String inferenceUrl, long warmAccountNumber, PeerArtifacts artifacts,
         ProofService proofs, ProofClient client) {
        this.warmAccountNumber = warmAccountNumber;
        this.index = index;
        this.keys = keys;
        this.behaviour = behaviour;
        this.inferenceUrl = inferenceUrl;
        this.artifacts = artifacts;
        this.txs = new PeerTxs(keys);
        this.proofs = proofs;
        this.client = client;
    }

    /** Writes spec §7.1: the epoch's seed and its signature, derived from the warm key. */
    Seeds.Seed seed(long epoch) {
        return seeds.computeIfAbsent(epoch, e -> Seeds.derive(SigningKey.of(keys.warmPrivate()), e));
    }

    synchronized void voted(Vote vote) {
        votes.addLast(vote);
        while (votes.size() > KEPT) {
            votes.removeFirst();
        }
    }

    synchronized void sent(Sent s) {
        sent.addLast(s);
        while (sent.size() > KEPT) {
            sent.removeFirst();
        }
    }

    synchronized List<Vote> votes() {
        return new ArrayList<>(votes);
    }

    synchronized List<Sent> sentTxs() {
        return new ArrayList<>(sent);
    }
}
