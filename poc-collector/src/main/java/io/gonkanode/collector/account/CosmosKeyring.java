package io.gonkanode.collector.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gonkanode.collector.proto.KeyringRecord;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.proto.cosmos.PrivKey;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * The warm key read where upstream's {@code api} container reads it: the Cosmos SDK keyring that
 * {@code inferenced keys add "$KEY_NAME" --keyring-backend file} writes into the {@code .inference} volume.
 *
 * <p>An entry is {@code <dir>/keyring-<backend>/<KEY_NAME>.info}: a JWE in compact form ({@code PBES2-HS256+A128KW}
 * key wrapping, {@code A256GCM} content) encrypted with the keyring password — for the {@code test} backend the
 * fixed password {@code test} — whose payload is the keyring item as JSON; its {@code Data} (base64) is a protobuf
 * {@code cosmos.crypto.keyring.v1.Record} with the private key in {@code local.priv_key}
 * ({@code /cosmos.crypto.secp256k1.PrivKey}). Messages name the file and the setting, never a secret.
 */
public final class CosmosKeyring {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRIV_KEY_TYPE = "/cosmos.crypto.secp256k1.PrivKey";

    private CosmosKeyring() {
    }

    /** The entry file of {@code keyName} under the keyring directory {@code dir} (upstream: /root/.inference). */
    public static Path entry(Path dir, String backend, String keyName) {
        return dir.resolve("keyring-" + backend).resolve(escape(keyName) + ".info");
    }

    /**
     * The secp256k1 key of {@code keyName}; {@code backend} is {@code file} (opened with {@code password}) or
     * {@code test}. An IllegalArgumentException says what is wrong.
     */
    public static SigningKey read(Path dir, String backend, String keyName, String password) {
        String b = backend == null || backend.isBlank() ? "file" : backend.strip().toLowerCase(Locale.ROOT);
        if (!b.equals("file") && !b.equals("test")) {
            throw new IllegalArgumentException("KEYRING_BACKEND " + backend + " cannot be read here: use file (upstream's "
                    + "default) or test, or give the key as GONKA_WARM_KEY_FILE");
        }
        Path file = entry(dir, b, keyName);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no key " + keyName + " in the keyring: " + file + " does not exist (KEY_NAME, "
                    + "GONKA_KEYRING_DIR; create it with inferenced keys add \"$KEY_NAME\" --keyring-backend " + b + ")");
        }
        String pw = b.equals("test") ? "test" : password;
        if (pw == null || pw.isEmpty()) {
            throw new IllegalArgumentException("KEYRING_PASSWORD is not set: it opens " + file);
        }
        String token;
        try {
            token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage()
                    + " (the keyring is written by root with mode 600)");
        }
        byte[] payload = decrypt(token, pw.getBytes(StandardCharsets.UTF_8), file);
        byte[] record;
        try {
            JsonNode item = JSON.readTree(payload);
            record = Base64.getDecoder().decode(item.path("Data").asText(""));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a keyring item");
        }
        return privateKey(record, file);
    }

    /** The JWE's plaintext, or an IllegalArgumentException when it is not one or the password does not open it. */
    static byte[] decrypt(String token, byte[] password, Path file) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 5) {
            throw notAnEntry(file);
        }
        JsonNode header;
        byte[] p2s;
        byte[] encryptedKey;
        byte[] iv;
        byte[] ciphertext;
        byte[] tag;
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            header = JSON.readTree(b64.decode(parts[0]));
            p2s = b64.decode(header.path("p2s").asText(""));
            encryptedKey = b64.decode(parts[1]);
            iv = b64.decode(parts[2]);
            ciphertext = b64.decode(parts[3]);
            tag = b64.decode(parts[4]);
        } catch (IOException | IllegalArgumentException e) {
            throw notAnEntry(file);
        }
        String alg = header.path("alg").asText("");
        String enc = header.path("enc").asText("");
        if (!alg.equals("PBES2-HS256+A128KW") || !enc.equals("A256GCM")) {
            throw new IllegalArgumentException(file + " is encrypted with " + alg + "/" + enc
                    + ", not the keyring's PBES2-HS256+A128KW/A256GCM");
        }
        int iterations = header.path("p2c").asInt(0);
        if (iterations < 1 || iterations > 10_000_000 || iv.length != 12 || tag.length != 16) {
            throw notAnEntry(file);
        }
        // RFC 7518 4.8.1.1: the PBKDF2 salt is alg || 0x00 || p2s
        byte[] algBytes = alg.getBytes(StandardCharsets.US_ASCII);
        byte[] salt = ByteBuffer.allocate(algBytes.length + 1 + p2s.length).put(algBytes).put((byte) 0).put(p2s).array();
        Key cek;
        try {
            Cipher unwrap = Cipher.getInstance("AESWrap");
            unwrap.init(Cipher.UNWRAP_MODE, new SecretKeySpec(pbkdf2Sha256(password, salt, iterations, 16), "AES"));
            cek = unwrap.unwrap(encryptedKey, "AES", Cipher.SECRET_KEY);
        } catch (GeneralSecurityException e) {
            // RFC 3394's integrity check: the key derived from this password does not unwrap the content key
            throw new IllegalArgumentException("KEYRING_PASSWORD does not open " + file);
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek.getEncoded(), "AES"), new GCMParameterSpec(128, iv));
            gcm.updateAAD(parts[0].getBytes(StandardCharsets.US_ASCII));
            gcm.update(ciphertext);
            return gcm.doFinal(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is damaged: its content does not match its authentication tag");
        }
    }

    private static IllegalArgumentException notAnEntry(Path file) {
        return new IllegalArgumentException(file + " is not a keyring entry (no JWE in compact form)");
    }

    /** PBKDF2 with HMAC-SHA256 over the password's bytes as given (Go's []byte(password): UTF-8). */
    static byte[] pbkdf2Sha256(byte[] password, byte[] salt, int iterations, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(password, "HmacSHA256"));
        byte[] out = new byte[length];
        for (int block = 1; (block - 1) * 32 < length; block++) {
            mac.update(salt);
            byte[] u = mac.doFinal(ByteBuffer.allocate(4).putInt(block).array());
            byte[] t = u.clone();
            for (int n = 1; n < iterations; n++) {
                u = mac.doFinal(u);
                for (int k = 0; k < t.length; k++) {
                    t[k] ^= u[k];
                }
            }
            System.arraycopy(t, 0, out, (block - 1) * 32, Math.min(32, length - (block - 1) * 32));
        }
        return out;
    }

    /** {@code Record.local.priv_key}: an Any holding a {@code /cosmos.crypto.secp256k1.PrivKey} of 32 bytes. */
    static SigningKey privateKey(byte[] bytes, Path file) {
        KeyringRecord record;
        try {
            record = KeyringRecord.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(file + " holds no keyring record (an older amino-encoded entry? run any "
                    + "inferenced keys command once with this keyring to migrate it)");
        }
        if (record.getItemCase() != KeyringRecord.ItemCase.LOCAL) {
            String kind = switch (record.getItemCase()) {
                case LEDGER -> "a Ledger key";
                case MULTI -> "a multisig key";
                case OFFLINE -> "an offline (public) key";
                default -> "no key this reader knows";
            };
            throw new IllegalArgumentException(file + " holds " + kind + ", not a local private key; the warm key must be "
                    + "a local key (inferenced keys add \"$KEY_NAME\" --keyring-backend file)");
        }
        Any any = record.getLocal().getPrivKey();
        if (!any.getTypeUrl().equals(PRIV_KEY_TYPE)) {
            throw new IllegalArgumentException(file + " holds a " + (any.getTypeUrl().isEmpty() ? "key of no type" : any.getTypeUrl())
                    + ", not a secp256k1 key");
        }
        byte[] key;
        try {
            key = PrivKey.parseFrom(any.getValue()).getKey().toByteArray();
        } catch (InvalidProtocolBufferException e) {
            key = new byte[0];
        }
        if (key.length != 32) {
            throw new IllegalArgumentException(file + " holds a secp256k1 key that is not 32 bytes");
        }
        try {
            return SigningKey.of(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Go's percent.Encode(s, "/") as the keyring names its files: '%' and '/' become %XX. */
    static String escape(String keyName) {
        StringBuilder out = new StringBuilder();
        for (char c : keyName.toCharArray()) {
            if (c == '%' || c == '/') {
                out.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
