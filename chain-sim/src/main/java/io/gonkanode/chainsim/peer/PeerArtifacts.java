package io.gonkanode.chainsim.peer;

import io.gonkanode.protocol.poc.ArtifactVectors;
import io.gonkanode.protocol.proofs.ProofStore;
import io.gonkanode.protocol.proofs.TreeSnapshot;
import io.gonkanode.protocol.smst.Smst;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A peer's artifact store for its active stage, as its ML nodes would have filled it: {@code total} artifacts of one
 * model in a fixed arrival order, deterministic from the peer's key and the stage; the SMST of every count it
 * committed, kept for proofs until the next stage. Its behaviour shapes the nonces (porous), the vectors
 * (nan-vectors) and the proofs it serves (bad-proofs).
 */
final class PeerArtifacts implements ProofStore {

    private final PeerKeys keys;
    private final Behaviour behaviour;
    private final int total;
    private volatile Stage stage;

    /** One stage's artifacts and committed trees. */
    private static final class Stage {
        final long height;
        final String model;
        final List<Smst.Leaf> leaves;
        final Map<Long, Smst> committed = new ConcurrentHashMap<>();
        volatile Smst latest;

        Stage(long height, String model, List<Smst.Leaf> leaves) {
            this.height = height;
            this.model = model;
            this.leaves = leaves;
        }
    }

    PeerArtifacts(PeerKeys keys, Behaviour behaviour, int total) {
        this.keys = keys;
        this.behaviour = behaviour;
        this.total = total;
    }

    int total() {
        return total;
    }

    /**
     * Generates the stage's artifacts (all of them; {@link #tree} takes the first n) as the peer's ML nodes would for
     * the stage's block hash (as the chain prints it) and the peer's account key: the simulated ML nodes' vectors, so
     * that a validating host's ML nodes recompute them; a forger's are random, a NaN peer's every other one NaN.
     */
    void begin(long height, String model, String blockHash, int seqLen) {
        List<Smst.Leaf> leaves = new ArrayList<>(total);
        SplittableRandom forged = new SplittableRandom(height ^ keys.name().hashCode());
        for (int i = 0; i < total; i++) {
            int nonce = behaviour == Behaviour.POROUS ? i * 150 : i;
            byte[] v = ArtifactVectors.encode(behaviour == Behaviour.FORGED_VECTORS ? ArtifactVectors.forged(forged)
                    : ArtifactVectors.honest(blockHash, keys.coldPublicHex(), nonce, model, seqLen));
            if (behaviour == Behaviour.NAN_VECTORS && i % 2 == 0) {
                v[0] = 0x00;
                v[1] = 0x7E;
            }
            leaves.add(new Smst.Leaf(nonce, v));
        }
        stage = new Stage(height, model, leaves);
    }

    /** The tree of the first {@code count} artifacts of the stage, remembered as committed. */
    Smst commit(long height, long count) {
        Stage s = stage;
        if (s == null || s.height != height) {
            throw new IllegalStateException("no artifacts for stage " + height);
        }
        Smst tree = s.committed.computeIfAbsent(count, c -> Smst.of(s.leaves, (int) Math.min(c, s.leaves.size())));
        Smst latest = s.latest;
        if (latest == null || latest.count() < tree.count()) {
            s.latest = tree;
        }
        return tree;
    }

    /** Forgets a tree whose commit the chain refused. */
    void forget(long height, long count) {
        Stage s = stage;
        if (s != null && s.height == height) {
            s.committed.remove(count);
        }
    }

    @Override
    public long activeStage() {
        Stage s = stage;
        return s == null ? -1 : s.height;
    }

    @Override
    public Optional<State> latest(long height, String modelId) {
        Stage s = stage;
        if (s == null || s.height != height || !s.model.equals(modelId) || s.latest == null) {
            return Optional.empty();
        }
        Snapshot latest = snapshot(s.latest);
        return Optional.of(new State(latest.count(), latest.root()));
    }

    @Override
    public Optional<Snapshot> at(long height, String modelId, long count) {
        Stage s = stage;
        if (s == null || s.height != height || !s.model.equals(modelId)) {
            return Optional.empty();
        }
        Smst tree = s.committed.get(count);
        return tree == null ? Optional.empty() : Optional.of(snapshot(tree));
    }

    /** The tree's snapshot; a bad-proofs peer flips a bit of every proof's first element. */
    private Snapshot snapshot(Smst tree) {
        TreeSnapshot honest = new TreeSnapshot(tree);
        if (behaviour != Behaviour.BAD_PROOFS) {
            return honest;
        }
        return new Snapshot() {
            @Override
            public long count() {
                return honest.count();
            }

            @Override
            public byte[] root() {
                return honest.root();
            }

            @Override
            public Proof proof(long denseIndex) {
                Proof proof = honest.proof(denseIndex);
                List<byte[]> elements = new ArrayList<>(proof.elements());
                byte[] first = elements.get(0).clone();
                first[0] ^= 0x01;
                elements.set(0, first);
                return new Proof(proof.leafIndex(), proof.nonce(), proof.vector(), elements);
            }

            @Override
            public long indexOf(int nonce) {
                return honest.indexOf(nonce);
            }
        };
    }
}
