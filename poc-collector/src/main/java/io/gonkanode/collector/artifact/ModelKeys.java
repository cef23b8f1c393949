package io.gonkanode.collector.artifact;

import io.gonkanode.collector.db.Db;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Small keys for model ids, so the artifact table and its index stay compact. */
@ApplicationScoped
public class ModelKeys {

    private final Db db;
    private final Map<String, Short> keys = new ConcurrentHashMap<>();

    public ModelKeys(Db db) {
        this.db = db;
    }

    /** The key of a model already known here, without creating one (for ids that come from outside). */
    public java.util.Optional<Short> find(String modelId) {
        Short key = keys.get(modelId);
        if (key != null) {
            return java.util.Optional.of(key);
        }
        return db.tx(c -> {
            try (PreparedStatement select = c.prepareStatement("select id from poc.model where model_id = ?")) {
                select.setString(1, modelId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(rs.getShort(1)) : java.util.Optional.<Short>empty();
                }
            }
        });
    }

    public short of(String modelId) {
        Short key = keys.get(modelId);
        if (key != null) {
            return key;
        }
        short created = db.tx(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into poc.model (model_id) values (?) on conflict (model_id) do nothing")) {
                insert.setString(1, modelId);
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("select id from poc.model where model_id = ?")) {
                select.setString(1, modelId);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getShort(1);
                }
            }
        });
        keys.put(modelId, created);
        return created;
    }
}
