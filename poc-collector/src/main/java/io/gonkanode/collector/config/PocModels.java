package io.gonkanode.collector.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The configured PoC models and their parameters, parsed once. */
@ApplicationScoped
public class PocModels {

    /** The statistical test a validator runs (upstream PoCStatTest). */
    @RegisterForReflection
    public record StatTest(double distThreshold, double pMismatch, double pValueThreshold) {
    }

    /** One model's PoC parameters. */
    @RegisterForReflection
    public record Model(String id, int seqLen, double weightScaleFactor, StatTest statTest) {
    }

    private final Map<String, Model> models;

    public PocModels(CollectorConfig config) {
        this.models = Collections.unmodifiableMap(parse(config.poc().models()));
    }

    static Map<String, Model> parse(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("gonka.poc.models is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new IllegalArgumentException("gonka.poc.models must be a non-empty JSON object");
        }
        Map<String, Model> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode m = e.getValue();
            JsonNode st = m.path("stat_test");
            out.put(e.getKey(), new Model(e.getKey(), m.path("seq_len").asInt(1024),
                    m.path("weight_scale_factor").asDouble(0.3593),
                    new StatTest(st.path("dist_threshold").asDouble(0.4), st.path("p_mismatch").asDouble(0.1),
                            st.path("p_value_threshold").asDouble(0.05))));
        }
        return out;
    }

    public Map<String, Model> all() {
        return models;
    }

    public Optional<Model> get(String id) {
        return Optional.ofNullable(models.get(id));
    }
}
