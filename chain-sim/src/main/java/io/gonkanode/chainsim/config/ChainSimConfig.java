package io.gonkanode.chainsim.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** chain-sim's settings; each also reads from the environment variable in its javadoc. */
@ConfigMapping(prefix = "sim.chain")
public interface ChainSimConfig {

    /** SIM_CHAIN_ID: the chain id {@code status} reports and signatures cover. */
    @WithDefault("gonka-sim")
    String id();

    /** SIM_CHAIN_BLOCK_TIME: one block every this long. */
    @WithName("block-time")
    @WithDefault("1s")
    Duration blockTime();

    /** SIM_CHAIN_SEED: every key chain-sim derives for itself and its peers comes from it, so runs reproduce. */
    @WithDefault("gonka-chain-sim")
    String seed();

    /** SIM_CHAIN_EPOCH: {@code fast} (an epoch with its PoC in about two minutes) or {@code mainnet} (v0.2.14's values). */
    @WithDefault("fast")
    String epoch();

    /** SIM_CHAIN_PRODUCE_BLOCKS: false leaves block production to {@code POST /sim/v1/blocks} (the tests' way). */
    @WithDefault("true")
    boolean produceBlocks();

    /** SIM_CHAIN_PEERS: how many simulated hosts join the chain besides the host under test. */
    @WithDefault("2")
    int peers();

    /**
     * SIM_CHAIN_PEER_BEHAVIOURS: the peers' behaviours in order, comma-separated ({@code honest}, {@code bad-proofs},
     * {@code nan-vectors}, {@code porous}, {@code unreachable}, {@code late-commit}); peers beyond the list are honest.
     */
    @WithName("peer-behaviours")
    Optional<String> peerBehaviours();

    /** SIM_CHAIN_PEER_ARTIFACTS: the artifacts each peer generates per PoC stage. */
    @WithName("peer-artifacts")
    @WithDefault("4000")
    int peerArtifacts();

    /** SIM_CHAIN_PEER_HOST: the address the peers' proofs APIs listen on and publish in their inference_url. */
    @WithName("peer-host")
    @WithDefault("127.0.0.1")
    String peerHost();

    /** SIM_CHAIN_PEER_PORT: peer i (from 1) listens on this port + i − 1; 0 picks free ports. */
    @WithName("peer-port")
    @WithDefault("0")
    int peerPort();

    /** SIM_CHAIN_PEER_RETRIES: how often a peer asks an unreachable host for proofs before it votes against it. */
    @WithName("peer-retries")
    @WithDefault("8")
    int peerRetries();

    /** SIM_CHAIN_PEER_RETRY_BACKOFF: the first wait between those attempts (×1.5 each time, at most 45 s). */
    @WithName("peer-retry-backoff")
    @WithDefault("1s")
    Duration peerRetryBackoff();

    /** The host under test: its cold and warm keys, its public URL. */
    Host host();

    interface Host {
        /** ACCOUNT_PUBKEY: the cold (account) key, base64 of the 33-byte compressed key; none: no host account. */
        Optional<String> accountPubkey();

        /** SIM_CHAIN_WARM_PUBKEY: the warm key, base64 or hex of 33 bytes. */
        Optional<String> warmPubkey();

        /** SIM_CHAIN_WARM_ADDRESS: the warm key's address, when its key is not given (the key comes with its first tx). */
        Optional<String> warmAddress();

        /** PUBLIC_URL: the host's inference_url on its participant record. */
        @WithDefault("http://localhost:8000")
        String inferenceUrl();
    }
}
