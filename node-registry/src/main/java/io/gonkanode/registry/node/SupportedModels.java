package io.gonkanode.registry.node;

import io.gonkanode.registry.config.RegistryConfig;
import io.gonkanode.registry.round.ChainViews;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The configured list of supported models and their own vLLM arguments, parsed once at startup; the chain's governance models replace the list once known. */
@ApplicationScoped
public class SupportedModels {

    private final Map<String, ModelArgs> models;
    private final ChainViews chainViews;

    public SupportedModels(RegistryConfig config, ChainViews chainViews) {
        this.models = Collections.unmodifiableMap(parse(config.supportedModels()));
        this.chainViews = chainViews;
    }

    /** The models nodes may serve: the chain's governance models once poc-collector has sent them, else the configured ones. */
    public Set<String> governanceIds() {
        return chainViews.current().map(v -> v.governanceModels().keySet()).orElse(models.keySet());
    }

    static Map<String, ModelArgs> parse(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("gonka.supported-models is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new IllegalArgumentException(
                    "gonka.supported-models must be a non-empty JSON object {\"<model id>\":{\"args\":[...]}}");
        }
        Map<String, ModelArgs> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> args = new ArrayList<>();
            JsonNode argsNode = e.getValue() == null ? null : e.getValue().get("args");
            if (argsNode != null && argsNode.isArray()) {
                argsNode.forEach(a -> args.add(a.asText()));
            }
            result.put(e.getKey(), new ModelArgs(List.copyOf(args)));
        }
        return result;
    }

    /** The model's own vLLM arguments (empty for an unknown model). */
    public List<String> argsOf(String modelId) {
        ModelArgs args = models.get(modelId);
        return args == null ? List.of() : args.args();
    }
}
