package io.gonkanode.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Network-node settings shared with upstream under their upstream names. */
@ConfigMapping(prefix = "gonka.network")
public interface GonkaConfig {

    /** Base of the PoC callback URL given to ML nodes (DAPI_API__POC_CALLBACK_URL); must be reachable from every ML node. */
    @WithDefault("http://localhost:9100")
    String pocCallbackUrl();

    /**
     * The callback token (GONKA_CALLBACK_TOKEN): ML nodes are handed {@code <callback>/t/<token>/v2/poc-batches/<model>}
     * so their batches prove where they come from. Unset: one generated and kept in the database; {@code none}: plain URLs.
     */
    Optional<String> pocCallbackToken();

    /** The host account's public key, base64 of the 33-byte compressed secp256k1 key (ACCOUNT_PUBKEY). */
    Optional<String> accountPubkey();

    /** ML node API version inserted as the first path segment of ML node URLs, e.g. v3.0.8 (empty: none). */
    Optional<String> mlnodeVersion();
}
