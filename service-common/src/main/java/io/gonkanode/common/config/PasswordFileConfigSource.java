package io.gonkanode.common.config;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code QUARKUS_DATASOURCE_PASSWORD_FILE}: the database password read from a file, as the PostgreSQL image reads
 * {@code POSTGRES_PASSWORD_FILE} — the compose layout generates the password once and keeps it in a volume both read.
 * An explicit {@code QUARKUS_DATASOURCE_PASSWORD} wins (environment variables rank 300, this source 290). The file is
 * read when the value is asked for, never at build time, and one trailing newline is dropped.
 */
public class PasswordFileConfigSource implements ConfigSource {

    static final String ENV = "QUARKUS_DATASOURCE_PASSWORD_FILE";
    static final String PROPERTY = "quarkus.datasource.password";

    private final Function<String, String> env;

    public PasswordFileConfigSource() {
        this(System::getenv);
    }

    PasswordFileConfigSource(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public Set<String> getPropertyNames() {
        return file() == null ? Set.of() : Set.of(PROPERTY);
    }

    @Override
    public Map<String, String> getProperties() {
        String value = getValue(PROPERTY);
        return value == null ? Map.of() : Map.of(PROPERTY, value);
    }

    @Override
    public String getValue(String propertyName) {
        if (!PROPERTY.equals(propertyName)) {
            return null;
        }
        String file = file();
        if (file == null) {
            return null;
        }
        try {
            String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            if (content.endsWith("\n")) {
                content = content.substring(0, content.length() - 1);
            }
            if (content.endsWith("\r")) {
                content = content.substring(0, content.length() - 1);
            }
            return content;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException(ENV + " " + file + " cannot be read: it does not exist", e);
        } catch (IOException e) {
            throw new IllegalStateException(ENV + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private String file() {
        String f = env.apply(ENV);
        return f == null || f.isBlank() ? null : f.strip();
    }

    @Override
    public int getOrdinal() {
        return 290;
    }

    @Override
    public String getName() {
        return "PasswordFileConfigSource[" + ENV + "]";
    }
}
