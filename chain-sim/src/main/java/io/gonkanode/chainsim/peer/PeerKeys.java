package io.gonkanode.chainsim.peer;

import io.gonkanode.protocol.crypto.Addresses;
import io.gonkanode.protocol.crypto.Secp256k1;
import io.gonkanode.chainsim.genesis.Genesis;

import java.util.HexFormat;

/** A peer's two keys, derived from {@code SIM_CHAIN_SEED} so that every run has the same accounts. */
public record PeerKeys(String name, byte[] coldPrivate, byte[] coldPublic, byte[] warmPrivate, byte[] warmPublic) {

    public static PeerKeys derive(String seed, int index) {
        String name = "peer-" + index;
        byte[] cold = Genesis.privateKey(seed, name + ":cold");
        byte[] warm = Genesis.privateKey(seed, name + ":warm");
        return new PeerKeys(name, cold, Secp256k1.publicKey(cold), warm, Secp256k1.publicKey(warm));
    }

    public String coldAddress() {
        return Addresses.of(coldPublic);
    }

    public String warmAddress() {
        return Addresses.of(warmPublic);
    }

    /** The account key as validators put it in the sampling seed: lower-case hex. */
    public String coldPublicHex() {
        return HexFormat.of().formatHex(coldPublic);
    }
}
