package io.gonkanode.collector.security;

import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.collector.db.Db;
import io.gonkanode.common.CallbackUrls;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Optional;

/**
 * The callback token of this collector's own validation requests to ML nodes (their verdicts come back with it, from
 * whatever address): {@code GONKA_CALLBACK_TOKEN} when set, else generated on first use and kept in the database, so
 * a verdict asked for before a restart is still admitted after it. node-registry's token, which only it hands out, is
 * never known here in clear: its view carries the token's SHA-256.
 */
@ApplicationScoped
public class ValidationToken {

    static final String NAME = "validation_callback_token";

    private final Optional<String> configured;
    private final Db db;
    private volatile String kept;

    public ValidationToken(CollectorConfig config, Db db) {
        this.configured = CallbackUrls.chosenToken(config.callback().token()).filter(t -> !t.equals(CallbackUrls.NO_TOKEN));
        this.db = db;
    }

    /** Whether GONKA_CALLBACK_TOKEN chose the token (else it is kept in the database). */
    public boolean chosen() {
        return configured.isPresent();
    }

    /** The token to put in validation callback URLs. */
    public String value() {
        if (configured.isPresent()) {
            return configured.get();
        }
        String k = kept;
        return k != null ? k : keep();
    }

    /** Whether {@code presented} is this token, without reading the database for a stranger's guess before one exists. */
    boolean matches(byte[] presented) {
        String k = configured.orElse(kept);
        return k != null && MessageDigest.isEqual(k.getBytes(StandardCharsets.UTF_8), presented);
    }

    private synchronized String keep() {
        if (kept != null) {
            return kept;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        kept = db.tx(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into poc.kept_secret (name, value) values (?, ?) on conflict (name) do nothing")) {
                insert.setString(1, NAME);
                insert.setString(2, fresh);
                insert.executeUpdate();
            }
            return read(c); // the first writer's, if another replica or an earlier run was first
        });
        return kept;
    }

    private static String read(java.sql.Connection c) throws java.sql.SQLException {
        try (PreparedStatement select = c.prepareStatement("select value from poc.kept_secret where name = ?")) {
            select.setString(1, NAME);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Loads a token kept by an earlier run (the guard asks, at most once a second, when a token is new to it). */
    void load() {
        if (configured.isPresent() || kept != null) {
            return;
        }
        String found = db.tx(ValidationToken::read);
        synchronized (this) {
            if (kept == null) {
                kept = found;
            }
        }
    }
}
