package io.gonkanode.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Checks a warm key file before the services are started with it: 64 hex characters, readable by its owner only. */
final class WarmKeyFile {

    private WarmKeyFile() {
    }

    static void check(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--warm-key-file " + file + " does not exist");
            }
            if (!Files.readString(file).trim().matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("--warm-key-file " + file + " must hold the private key as 64 hex characters "
                        + "(inferenced keys export <name> --unarmored-hex --unsafe)");
            }
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalArgumentException("--warm-key-file " + file + " is readable by others: chmod 600 " + file);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--warm-key-file " + file + " cannot be read: " + e.getMessage(), e);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
