package io.gonkanode.collector.account;

import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.protocol.crypto.SigningKey;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.util.Optional;

/** The host account, when ACCOUNT_PUBKEY is set and valid, and the warm key that signs for it, when GONKA_WARM_KEY_FILE is. */
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
        Optional<String> file = config.network().warmKeyFile().filter(f -> !f.isBlank());
        if (file.isEmpty()) {
            return Optional.empty();
        }
        // Main refuses a bad file before start-up; this reads it again for the application
        SigningKey key = WarmKeyFile.read(Path.of(file.get().strip()));
        Log.infof("warm key %s signs this host's transactions", key.address());
        return Optional.of(key);
    }
}
