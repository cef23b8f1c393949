package io.gonkanode.collector.config;

import io.gonkanode.collector.account.WarmKeys;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of poc-collector; each key is also an environment variable (GONKA_CHAIN_STALE_AFTER, ...). */
@ConfigMapping(prefix = "gonka")
public interface CollectorConfig {

    Chain chain();

    Poc poc();

    Network network();

    Registry registry();

    Callback callback();

    Tx tx();

    /** The chain node followed ({@code DAPI_CHAIN_NODE__URL}); its EpochParams give every stage height. */
    interface Chain {
        /** The chain node's CometBFT RPC (DAPI_CHAIN_NODE__URL, e.g. http://node:26657); required to start. */
        Optional<String> nodeUrl();

        /** No new block for this long: the chain is stale and the round's work pauses. */
        @WithDefault("60s")
        Duration staleAfter();

        /** How often the node's status (height, catching_up) is read besides the NewBlock websocket. */
        @WithDefault("5s")
        Duration statusInterval();
    }

    interface Poc {
        /**
         * The PoC models, JSON {@code {"<model id>": {"seq_len", "weight_scale_factor", "stat_test":
         * {"dist_threshold", "p_mismatch", "p_value_threshold"}}}} (values as governance sets them upstream).
         */
        @WithDefault("{\"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8\":{\"seq_len\":1024,\"weight_scale_factor\":0.3593,"
                + "\"stat_test\":{\"dist_threshold\":0.4,\"p_mismatch\":0.1,\"p_value_threshold\":0.05}}}")
        String models();

        /** Validating another host: the first wait before its proofs API is asked again (upstream: 3 s, then × 1.5 each time). */
        @WithDefault("3s")
        Duration hostRetryDelay();

        /** ... the longest wait between two tries (upstream: 45 s). */
        @WithDefault("45s")
        Duration hostRetryMaxDelay();

        /** ... tries before a host whose proofs API gives no usable answer gets a −1 (upstream: 25). */
        @WithDefault("25")
        int hostRetries();

        /** How long a validator node may take before another node is asked. */
        @WithDefault("60s")
        Duration validationTimeout();

        /** Artifacts of this many most recent stages are kept (upstream keeps 10). */
        @WithDefault("10")
        int retentionStages();

        /** How often the stored artifacts are committed on chain while the commit window is open (upstream: 5 s). */
        @WithDefault("5s")
        Duration commitInterval();

        /** Artifacts per batch accepted at most (a batch over it is refused whole). */
        @WithDefault("1000000")
        int maxArtifactsPerBatch();
    }

    interface Network {
        /** The host account's public key, base64 (ACCOUNT_PUBKEY). */
        Optional<String> accountPubkey();

        /**
         * The warm key that signs this host's transactions, proof requests and responses: a file holding the private
         * key as 64 hex characters, readable by its owner only (GONKA_WARM_KEY_FILE). None: nothing is sent to the chain.
         */
        Optional<String> warmKeyFile();

        /** The warm key's name in the Cosmos keyring, used when no GONKA_WARM_KEY_FILE is given (KEY_NAME). */
        Optional<String> keyName();

        /** The keyring's backend: file (upstream's) or test (KEYRING_BACKEND). */
        Optional<String> keyringBackend();

        /** The password of the file keyring (KEYRING_PASSWORD). */
        Optional<String> keyringPassword();

        /** The keyring directory, where upstream mounts its .inference volume (GONKA_KEYRING_DIR). */
        @WithDefault(WarmKeys.DEFAULT_KEYRING_DIR)
        String keyringDir();

        /** The host's public API URL, published as inference_url (DAPI_API__PUBLIC_URL). */
        @WithDefault("http://localhost:8000")
        String publicUrl();

        /** This collector's address as ML nodes reach it (DAPI_API__POC_CALLBACK_URL); validation results come back here. */
        @WithDefault("http://localhost:9100")
        String pocCallbackUrl();

        /** ML node API version inserted as the first path segment of ML node URLs (GONKA_MLNODE_VERSION). */
        Optional<String> mlnodeVersion();
    }

    interface Registry {
        /** node-registry (NODE_REGISTRY_URL). */
        @WithDefault("http://localhost:9200")
        String url();

        /** The registry's admin token, if it requires one (GONKA_ADMIN_TOKEN). */
        Optional<String> adminToken();

        /** How often the node view is refreshed. */
        @WithDefault("2s")
        Duration refreshInterval();
    }

    /** Who may post callbacks to this port (upstream: anyone who reaches it). */
    interface Callback {
        /**
         * A shared secret (16-256 characters of A-Z a-z 0-9 . _ ~ -) handed to the ML nodes inside their
         * callback URL (GONKA_CALLBACK_TOKEN; node-registry needs the same value).
         */
        Optional<String> token();

        /**
         * Sources admitted without the token: {@code registered} (the addresses the registered ML node hosts
         * resolve to), IP addresses or CIDR blocks, {@code any}, or {@code none} (GONKA_CALLBACK_ALLOWED_SOURCES).
         */
        @WithDefault("registered")
        List<String> allowedSources();
    }

    /** The queue of this host's transactions (see TxSender). */
    interface Tx {
        /** How often the queue is worked through. */
        @WithDefault("1s")
        Duration interval();

        /** Wait before a tx the chain node turned away for a passing reason is signed and sent again (upstream: 7 s, ±30 %). */
        @WithDefault("7s")
        Duration retryDelay();

        /** How often a sent tx is looked up by hash until a block includes it (upstream: 5 s). */
        @WithDefault("2s")
        Duration observeInterval();
    }
}
