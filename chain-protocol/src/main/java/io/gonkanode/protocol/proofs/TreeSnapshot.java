package io.gonkanode.protocol.proofs;

import io.gonkanode.protocol.smst.Smst;


/** A built tree as the proofs API reads it: a leaf with its proof. */
public record TreeSnapshot(Smst tree) implements ProofStore.Snapshot {

    @Override
    public long count() {
        return tree.count();
    }

    @Override
    public byte[] root() {
        return tree.root();
    }

    @Override
    public ProofStore.Proof proof(long denseIndex) {
        Smst.Leaf leaf = tree.leaf((int) denseIndex);
        return new ProofStore.Proof(denseIndex, leaf.nonce(), leaf.vector(), tree.proof((int) denseIndex));
    }

    @Override
    public long indexOf(int nonce) {
        return tree.indexOf(nonce);
    }
}
