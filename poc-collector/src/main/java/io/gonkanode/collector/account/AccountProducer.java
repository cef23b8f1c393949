package io.gonkanode.collector.account;

import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.protocol.crypto.SigningKey;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Optional;

/** The host account, when ACCOUNT_PUBKEY is set and valid, and the warm key that signs for it (see {@link WarmKeys}). */
@ApplicationScoped
public class AccountProducer {

    @Produces
    @Singleton
    Optional<Account> account(CollectorConfig config) {
        Optional<String> key = config.network().accountPubkey().filter(k -> !k.isBlank());
        if (key.isEmpty()) {
            Log.warn("ACCOUNT_PUBKEY is not set: batches are not checked against the host key, validation and participants are off");
            return Optional.empty();
        }
        try {
            Account account = Account.fromBase64(key.get());
            Log.infof("host account %s", account.address());
            return Optional.of(account);
        } catch (IllegalArgumentException e) {
            Log.error(e.getMessage());
            return Optional.empty();
        }
    }

    @Produces
    @Singleton
    Optional<SigningKey> warmKey(CollectorConfig config) {
        CollectorConfig.Network n = config.network();
        // Main refuses a bad key before start-up; this reads it again for the application
        Optional<WarmKeys.Loaded> loaded = new WarmKeys(n.warmKeyFile(), n.keyName(), n.keyringBackend(), n.keyringPassword(),
                n.keyringDir()).load();
        if (loaded.isEmpty()) {
            Log.info("no warm key (GONKA_WARM_KEY_FILE, or KEY_NAME in the keyring): nothing is sent to the chain");
            return Optional.empty();
        }
        SigningKey key = loaded.get().key();
        Log.infof("warm key %s (%s) signs this host's transactions", key.address(), loaded.get().source());
        return Optional.of(key);
    }
}
