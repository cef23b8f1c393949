package io.gonkanode.local;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A fixed development account key for local runs (33 bytes starting with 02); never use it on a real network. */
final class DevKey {

    static final String BASE64;

    static {
        try {
            byte[] key = new byte[33];
            key[0] = 2;
            System.arraycopy(MessageDigest.getInstance("SHA-256").digest("gonka-local-development-account".getBytes(StandardCharsets.UTF_8)),
                    0, key, 1, 32);
            BASE64 = Base64.getEncoder().encodeToString(key);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private DevKey() {
    }
}
