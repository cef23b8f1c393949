package io.gonkanode.protocol.proofs;

import io.gonkanode.protocol.smst.Smst;

import java.util.Base64;
import java.util.List;

/** A built tree as the proofs API reads it: a leaf with its proof in the wire's base64 forms. */
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
    public ProofPayloads.Item item(long denseIndex) {
        Smst.Leaf leaf = tree.leaf((int) denseIndex);
        List<String> proof = tree.proof((int) denseIndex).stream().map(e -> Base64.getEncoder().encodeToString(e)).toList();
        return new ProofPayloads.Item(denseIndex, leaf.nonce(), Base64.getEncoder().encodeToString(leaf.vector()), proof);
    }

    @Override
    public long indexOf(int nonce) {
        return tree.indexOf(nonce);
    }
}
