package io.gonkanode.registry.callback;

import io.gonkanode.common.CallbackUrls;
import io.gonkanode.registry.config.GonkaConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The token ML nodes are handed inside their callback URL ({@code <callback>/t/<token>/v2/poc-batches/<model>}), so
 * their batches are admitted wherever they come from — the guide's one-machine layout posts from the ML node's own
 * container, not from the host registered — while strangers without it are not. {@code GONKA_CALLBACK_TOKEN} sets it;
 * by default it is generated on first start (32 random bytes, base64url) and kept in the database, so every replica
 * and every restart hands out the same one. {@code GONKA_CALLBACK_TOKEN=none} hands out upstream's plain URLs.
 * poc-collector learns it from the internal node view.
 */
@ApplicationScoped
public class CallbackToken {

    static final String NAME = "callback_token";

    private final Optional<String> configured;
    private final boolean disabled;
    private final EntityManager em;
    private volatile String kept;
    private volatile Optional<String> sha256Hex;

    public CallbackToken(GonkaConfig network, EntityManager em) {
        this.em = em;
        Optional<String> t = CallbackUrls.chosenToken(network.pocCallbackToken());
        this.disabled = t.equals(Optional.of(CallbackUrls.NO_TOKEN));
        this.configured = disabled ? Optional.empty() : t;
    }

    /** The token to hand out; none when GONKA_CALLBACK_TOKEN=none. */
    public Optional<String> value() {
        if (disabled) {
            return Optional.empty();
        }
        if (configured.isPresent()) {
            return configured;
        }
        String k = kept;
        if (k == null) {
            k = keep();
        }
        return Optional.of(k);
    }

    /** The token's SHA-256 in hex, as the internal view carries it (the token itself leaves only inside callback URLs). */
    public Optional<String> sha256Hex() {
        Optional<String> h = sha256Hex;
        if (h == null) {
            h = value().map(t -> HexFormat.of().formatHex(sha256(t.getBytes(StandardCharsets.UTF_8))));
            sha256Hex = h;
        }
        return h;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Generates the token unless one is kept already; the first writer wins among replicas. */
    @Transactional
    synchronized String keep() {
        if (kept != null) {
            return kept;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        em.createNativeQuery("insert into registry.kept_secret (name, value) values (?1, ?2) on conflict (name) do nothing")
                .setParameter(1, NAME).setParameter(2, Base64.getUrlEncoder().withoutPadding().encodeToString(random))
                .executeUpdate();
        List<?> rows = em.createNativeQuery("select value from registry.kept_secret where name = ?1").setParameter(1, NAME)
                .getResultList();
        kept = String.valueOf(rows.get(0));
        Log.info("callback token kept in the database handed to ML nodes in their callback URLs (GONKA_CALLBACK_TOKEN sets "
                + "one, none turns it off)");
        return kept;
    }
}
