package io.gonkanode.registry.nodeconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.registry.config.RegistryConfig;
import io.gonkanode.registry.node.NodeRejected;
import io.gonkanode.registry.node.NodeService;
import io.gonkanode.registry.node.NodeSpecReader;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;

/**
 * Applies upstream's {@code node-config.json} (NODE_CONFIG_PATH) at startup, but only when the file's
 * content changed since the last import. The Admin API stays the source of truth: an unchanged file
 * never overwrites what operators changed through it, and an edited file is re-applied (upstream
 * silently ignores edits after the first start). Entries are upserts; nodes missing from the file stay.
 */
@ApplicationScoped
public class NodeConfigImporter {

    private final RegistryConfig config;
    private final NodeService nodes;
    private final EntityManager em;
    private final ObjectMapper json = new ObjectMapper();

    public NodeConfigImporter(RegistryConfig config, NodeService nodes, EntityManager em) {
        this.config = config;
        this.nodes = nodes;
        this.em = em;
    }

    void onStart(@Observes StartupEvent event) {
        config.nodeConfigPath().filter(p -> !p.isBlank()).ifPresent(p -> importIfChanged(Path.of(p)));
    }

    /** What an import did: whether the file was applied, and how many entries were saved or skipped. */
    public record Outcome(boolean applied, int saved, int skipped) {
    }

    public Outcome importIfChanged(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            Log.errorf("NODE_CONFIG_PATH %s cannot be read: %s", file, e.getMessage());
            return new Outcome(false, 0, 0);
        }
        String sha = sha256(content);
        String key = file.toAbsolutePath().normalize().toString();
        if (sha.equals(lastImportedHash(key))) {
            Log.infof("node config %s unchanged since the last import; the Admin API state stands", file);
            return new Outcome(false, 0, 0);
        }
        JsonNode array;
        try {
            array = json.readTree(content);
        } catch (IOException e) {
            Log.errorf("node config %s is not valid JSON, nothing imported: %s", file, e.getMessage());
            return new Outcome(false, 0, 0);
        }
        if (array == null || !array.isArray()) {
            Log.errorf("node config %s must be a JSON array of nodes, nothing imported", file);
            return new Outcome(false, 0, 0);
        }
        int saved = 0;
        int skipped = 0;
        int index = 0;
        for (JsonNode element : array) {
            NodeSpecReader.Result r = NodeSpecReader.read(element);
            String id = r.spec() == null ? "?" : r.spec().id();
            if (!r.ok()) {
                Log.errorf("node config %s entry %d (id: %s) skipped: %s", file, index, id, String.join("; ", r.problems()));
                skipped++;
            } else {
                try {
                    nodes.upsert(r.spec());
                    saved++;
                } catch (NodeRejected e) {
                    Log.errorf("node config %s entry %d (id: %s) skipped: %s", file, index, id, e.describe());
                    skipped++;
                }
            }
            index++;
        }
        recordImport(key, sha);
        Log.infof("node config %s applied: %d node(s) saved, %d skipped", file, saved, skipped);
        return new Outcome(true, saved, skipped);
    }

    @Transactional
    String lastImportedHash(String key) {
        java.util.List<?> rows = em.createNativeQuery("select sha256 from registry.node_config_import where path = ?1")
                .setParameter(1, key)
                .getResultList();
        return rows.isEmpty() ? null : String.valueOf(rows.get(0));
    }

    @Transactional
    void recordImport(String key, String sha) {
        em.createNativeQuery("""
                        insert into registry.node_config_import (path, sha256, imported_at) values (?1, ?2, ?3)
                        on conflict (path) do update set sha256 = excluded.sha256, imported_at = excluded.imported_at""")
                .setParameter(1, key)
                .setParameter(2, sha)
                .setParameter(3, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC))
                .executeUpdate();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
