package io.gonkanode.chainsim.node;

import io.gonkanode.chainsim.config.ChainSimConfig;
import io.gonkanode.protocol.crypto.Addresses;
import io.gonkanode.chainsim.genesis.Genesis;

import java.util.List;
import java.util.Optional;

/** The host under test as configured: none without ACCOUNT_PUBKEY; its warm key or address is required with it. */
final class Hosts {

    private Hosts() {
    }

    static List<Genesis.Host> fromConfig(ChainSimConfig.Host c) {
        if (c.accountPubkey().isEmpty()) {
            return List.of();
        }
        byte[] cold = Genesis.parseKey(c.accountPubkey().get());
        Optional<byte[]> warmKey = c.warmPubkey().map(Genesis::parseKey);
        String warmAddress = warmKey.map(Addresses::of).or(c::warmAddress).orElseThrow(() -> new IllegalArgumentException(
                "ACCOUNT_PUBKEY is set but neither SIM_CHAIN_WARM_PUBKEY nor SIM_CHAIN_WARM_ADDRESS: the host's warm key must be known"));
        if (!Addresses.isValid(warmAddress)) {
            throw new IllegalArgumentException("SIM_CHAIN_WARM_ADDRESS is not a gonka address: " + warmAddress);
        }
        if (c.warmAddress().isPresent() && warmKey.isPresent() && !c.warmAddress().get().equals(warmAddress)) {
            throw new IllegalArgumentException("SIM_CHAIN_WARM_ADDRESS " + c.warmAddress().get() + " is not the address of SIM_CHAIN_WARM_PUBKEY ("
                    + warmAddress + ")");
        }
        return List.of(new Genesis.Host(cold, warmKey, warmAddress, c.inferenceUrl()));
    }
}
