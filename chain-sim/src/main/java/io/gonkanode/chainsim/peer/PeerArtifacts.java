package io.gonkanode.chainsim.peer;

import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.protocol.proofs.ProofPayloads;
import io.gonkanode.protocol.proofs.ProofStore;
import io.gonkanode.protocol.smst.Smst;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Generates the stage's artifacts (all of them; {@link #tree} takes the first n). */
    void begin(long height, String model) {
        List<Smst.Leaf> leaves = new ArrayList<>(total);
        byte[] prefix = (keys.name() + ":" + keys.coldAddress() + ":" + height + ":").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < total; i++) {
            int nonce = behaviour == Behaviour.POROUS ? i * 150 : i;
            leaves.add(new Smst.Leaf(nonce, vector(prefix, nonce, behaviour == Behaviour.NAN_VECTORS && i % 2 == 0)));
        }
        stage = new Stage(height, model, leaves);
    }

    /** Twelve finite fp16 values from a hash (bit 14 cleared keeps every exponent below 31), or a NaN first. */
    private static byte[] vector(byte[] prefix, int nonce, boolean nan) {
        byte[] h = Hashes.sha256(prefix, ByteBuffer.allocate(4).putInt(nonce).array());
        byte[] v = new byte[24];
        System.arraycopy(h, 0, v, 0, 24);
        for (int k = 1; k < 24; k += 2) {
            v[k] &= (byte) 0xBF;
        }
        if (nan) {
            v[0] = 0x00;
            v[1] = 0x7E;
        }
        return v;
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
    public Optional<Snapshot> latest(long height, String modelId) {
        Stage s = stage;
        if (s == null || s.height != height || !s.model.equals(modelId) || s.latest == null) {
            return Optional.empty();
        }
        return Optional.of(snapshot(s.latest));
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

    private Snapshot snapshot(Smst tree) {
        boolean corrupt = behaviour == Behaviour.BAD_PROOFS;
        return new Snapshot() {
            @Override
            public long count() {
                return tree.count();
            }

            @Override
            public byte[] root() {
                return tree.root();
            }

            @Override
            public ProofPayloads.Item item(long denseIndex) {
                Smst.Leaf leaf = tree.leaf((int) denseIndex);
                List<String> proof = new ArrayList<>();
                for (byte[] element : tree.proof((int) denseIndex)) {
                    if (corrupt && proof.isEmpty()) {
                        element[0] ^= 0x01;
                    }
                    proof.add(Base64.getEncoder().encodeToString(element));
                }
                return new ProofPayloads.Item(denseIndex, leaf.nonce(), Base64.getEncoder().encodeToString(leaf.vector()), proof);
            }

            @Override
            public long indexOf(int nonce) {
                return tree.indexOf(nonce);
            }
        };
    }
}
