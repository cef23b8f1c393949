package io.gonkanode.common.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordFileConfigSourceTest {

    @Test
    void thePasswordComesFromTheFileWithoutItsNewline(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "3f9c generated password\n");
        PasswordFileConfigSource source = new PasswordFileConfigSource(Map.of(PasswordFileConfigSource.ENV, file.toString())::get);
        assertEquals(Set.of("quarkus.datasource.password"), source.getPropertyNames());
        assertEquals("3f9c generated password", source.getValue("quarkus.datasource.password"));
        assertNull(source.getValue("quarkus.datasource.username"));
        assertTrue(source.getOrdinal() < 300, "an explicit QUARKUS_DATASOURCE_PASSWORD (environment, 300) wins");
    }

    @Test
    void withoutTheSettingItHasNothing() {
        PasswordFileConfigSource source = new PasswordFileConfigSource(Map.<String, String>of()::get);
        assertEquals(Set.of(), source.getPropertyNames());
        assertNull(source.getValue("quarkus.datasource.password"));
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) {
        String missing = dir.resolve("nope").toString();
        PasswordFileConfigSource source = new PasswordFileConfigSource(Map.of(PasswordFileConfigSource.ENV, missing)::get);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> source.getValue("quarkus.datasource.password"));
        assertTrue(e.getMessage().startsWith("QUARKUS_DATASOURCE_PASSWORD_FILE " + missing + " cannot be read"), e.getMessage());
    }
}
