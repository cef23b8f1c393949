package io.gonkanode.collector.account;

import io.gonkanode.protocol.crypto.SigningKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the warm key comes from, first match wins: {@code GONKA_WARM_KEY_FILE} (64 hex characters), else upstream's
 * own settings, {@code KEY_NAME} in the Cosmos keyring under {@code GONKA_KEYRING_DIR} (default {@code /root/.inference},
 * where upstream's {@code .inference} volume is mounted) opened with {@code KEYRING_PASSWORD} ({@code KEYRING_BACKEND}
 * file or test). A key name with no keyring directory at all means no warm key: nothing is sent to the chain.
 */
public record WarmKeys(Optional<String> keyFile, Optional<String> keyName, Optional<String> keyringBackend,
                       Optional<String> keyringPassword, String keyringDir) {

    public static final String DEFAULT_KEYRING_DIR = "/root/.inference";

    /** The settings as the process environment gives them (Main checks them before Quarkus starts). */
    public static WarmKeys fromEnvironment() {
        String dir = System.getenv("GONKA_KEYRING_DIR");
        return new WarmKeys(env("GONKA_WARM_KEY_FILE"), env("KEY_NAME"), env("KEYRING_BACKEND"), env("KEYRING_PASSWORD"),
                dir == null || dir.isBlank() ? DEFAULT_KEYRING_DIR : dir.strip());
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    /** The warm key, none, or an IllegalArgumentException saying which setting or file is wrong. */
    public Optional<Loaded> load() {
        Optional<String> file = keyFile.filter(f -> !f.isBlank());
        if (file.isPresent()) {
            Path path = Path.of(file.get().strip());
            return Optional.of(new Loaded(WarmKeyFile.read(path), "GONKA_WARM_KEY_FILE " + path));
        }
        Optional<String> name = keyName.filter(n -> !n.isBlank()).map(String::strip);
        if (name.isEmpty() || !Files.isDirectory(Path.of(keyringDir))) {
            return Optional.empty();
        }
        String backend = keyringBackend.filter(b -> !b.isBlank()).orElse("file");
        SigningKey key = CosmosKeyring.read(Path.of(keyringDir), backend, name.get(), keyringPassword.orElse(null));
        return Optional.of(new Loaded(key, "key " + name.get() + " of the " + backend + " keyring in " + keyringDir));
    }

    /** The key and where it was read, for the start-up log. */
    public record Loaded(SigningKey key, String source) {
    }
}
