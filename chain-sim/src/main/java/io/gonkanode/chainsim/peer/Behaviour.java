package io.gonkanode.chainsim.peer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How a simulated host behaves as a prover. As a validator every peer is honest. */
public enum Behaviour {
    /** Dense nonces, finite vectors, correct proofs, commits from the start of the exchange window. */
    HONEST("honest"),
    /** Commits the right roots but serves proofs that do not verify. */
    BAD_PROOFS("bad-proofs"),
    /** Every other vector holds an fp16 NaN. */
    NAN_VECTORS("nan-vectors"),
    /** Nonces spread 150 apart, so that max |nonce| / count ≥ 100. */
    POROUS("porous"),
    /** Its inference_url points at a port nobody listens on. */
    UNREACHABLE("unreachable"),
    /** Commits once, at the last block of the exchange window (what the early-share guard catches). */
    LATE_COMMIT("late-commit"),
    /** Valid proofs of vectors its ML nodes never computed: only a validator's ML node recomputing them catches it. */
    FORGED_VECTORS("forged-vectors");

    private final String label;

    Behaviour(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Behaviour of(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(b -> b.label.equals(l)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "SIM_CHAIN_PEER_BEHAVIOURS: unknown behaviour '" + label.trim() + "'; known: "
                        + Arrays.stream(values()).map(Behaviour::label).toList()));
    }

    /** The behaviour of each of {@code peers} peers: the list in order, honest beyond it. */
    public static List<Behaviour> assign(String list, int peers) {
        List<Behaviour> named = new ArrayList<>();
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                named.add(of(part));
            }
        }
        if (named.size() > peers) {
            throw new IllegalArgumentException("SIM_CHAIN_PEER_BEHAVIOURS names " + named.size() + " behaviours for " + peers
                    + " peers (SIM_CHAIN_PEERS)");
        }
        List<Behaviour> out = new ArrayList<>(named);
        while (out.size() < peers) {
            out.add(HONEST);
        }
        return out;
    }
}
