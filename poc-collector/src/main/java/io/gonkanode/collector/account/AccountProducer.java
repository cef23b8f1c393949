package io.gonkanode.collector.account;

import io.gonkanode.collector.config.CollectorConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.Optional;

/** The host account, when ACCOUNT_PUBKEY is set and valid. */
@ApplicationScoped
public class AccountProducer {

    @Produces
    @jakarta.inject.Singleton
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
}
