package io.gonkanode.protocol.proofs;

import java.util.List;
import java.util.Optional;

/** What a host's proofs API serves from: its artifact stores of the active stage and the counts it committed. */
public interface ProofStore {

    /** A committed (count, root) of one model's store: the items a validator may ask for. */
    interface Snapshot {
        long count();

        byte[] root();

        /** The leaf at a dense index below {@link #count()}, with its proof. */
        Proof proof(long denseIndex);

        /** The dense index of a nonce in this snapshot, or −1. */
        long indexOf(int nonce);
    }

    /** A leaf of a snapshot and its SMST proof, as bytes (the answer writes them as base64). */
    record Proof(long leafIndex, int nonce, byte[] vector, List<byte[]> elements) {
    }

    /** The stage height whose artifacts are served now (upstream serves the active stage only); −1 for none. */
    long activeStage();

    /** A store's (count, root). */
    record State(long count, byte[] root) {
    }

    /**
     * The flushed (count, root) of a model's store at the active stage; empty when it has no artifact. Answers the
     * public state route: never builds a snapshot (a tip that grows would be a new one at every call).
     */
    Optional<State> latest(long stage, String modelId);

    /** The snapshot at a committed count (or the live tip); empty when {@code count} is neither. */
    Optional<Snapshot> at(long stage, String modelId, long count);
}
