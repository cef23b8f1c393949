package io.gonkanode.collector.account;

import io.gonkanode.protocol.crypto.SigningKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The warm (ML operational) key from {@code GONKA_WARM_KEY_FILE}: the private key as 64 hex characters, what
 * {@code inferenced keys export <name> --unarmored-hex --unsafe} prints. A file that group or others may read is
 * refused, as ssh refuses such a private key; the messages name the file, never its content.
 */
public final class WarmKeyFile {

    static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private WarmKeyFile() {
    }

    /** The key in {@code file}, or an IllegalArgumentException saying what is wrong with the file. */
    public static SigningKey read(Path file) {
        String name = "GONKA_WARM_KEY_FILE " + file;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(name + " does not exist or is not a file");
        }
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> mode = posix.readAttributes().permissions();
                if (mode.stream().anyMatch(OTHERS::contains)) {
                    throw new IllegalArgumentException(name + " may be read by others (" + PosixFilePermissions.toString(mode)
                            + "): a private key must be the owner's only; run chmod 600 " + file);
                }
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            try {
                return SigningKey.ofHex(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " does not hold a secp256k1 private key as 64 hex characters "
                        + "(inferenced keys export <name> --unarmored-hex --unsafe prints one)");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(name + " cannot be read: " + e.getMessage());
        }
    }
}
