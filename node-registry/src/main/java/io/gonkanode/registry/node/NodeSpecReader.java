package io.gonkanode.registry.node;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the upstream node JSON ({@code id, host, inference_segment, inference_port, poc_segment,
 * poc_port, max_concurrent, models, hardware}) without guessing: a value of the wrong type is a problem
 * named by its field, not a silent coercion. Unknown keys are ignored, as upstream does.
 */
public final class NodeSpecReader {

    private NodeSpecReader() {
    }

    /** The spec read so far and the type problems found; the spec is only usable when there are none. */
    public record Result(NodeSpec spec, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public static Result read(JsonNode json) {
        List<String> problems = new ArrayList<>();
        if (json == null || !json.isObject()) {
            problems.add("a node must be a JSON object");
            return new Result(null, problems);
        }
        String id = text(json, "id", problems);
        String host = text(json, "host", problems);
        String inferenceSegment = text(json, "inference_segment", problems);
        long inferencePort = integer(json, "inference_port", problems);
        String pocSegment = text(json, "poc_segment", problems);
        long pocPort = integer(json, "poc_port", problems);
        long maxConcurrent = integer(json, "max_concurrent", problems);
        Map<String, ModelArgs> models = models(json.get("models"), problems);
        List<Hardware> hardware = hardware(json.get("hardware"), problems);
        NodeSpec spec = new NodeSpec(
                id == null ? "" : id,
                host == null ? "" : host,
                inferenceSegment == null ? "" : inferenceSegment,
                inferencePort,
                pocSegment == null ? "" : pocSegment,
                pocPort,
                maxConcurrent,
                models,
                hardware);
        return new Result(spec, problems);
    }

    private static String text(JsonNode json, String field, List<String> problems) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(field + " must be a string, got " + describe(v));
            return null;
        }
        return v.textValue();
    }

    private static long integer(JsonNode json, String field, List<String> problems) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber()) {
            problems.add(field + " must be an integer, got " + describe(v));
            return 0;
        }
        if (!v.canConvertToLong()) {
            return Long.MAX_VALUE;
        }
        return v.longValue();
    }

    private static Map<String, ModelArgs> models(JsonNode v, List<String> problems) {
        Map<String, ModelArgs> models = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return models;
        }
        if (!v.isObject()) {
            problems.add("models must be an object {\"<model id>\": {\"args\": [...]}}, got " + describe(v));
            return models;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode model = e.getValue();
            List<String> args = new ArrayList<>();
            if (model != null && !model.isNull()) {
                if (!model.isObject()) {
                    problems.add("models." + e.getKey() + " must be an object {\"args\": [...]}, got " + describe(model));
                    continue;
                }
                JsonNode argsNode = model.get("args");
                if (argsNode != null && !argsNode.isNull()) {
                    if (!argsNode.isArray()) {
                        problems.add("models." + e.getKey() + ".args must be an array of strings, got " + describe(argsNode));
                        continue;
                    }
                    for (JsonNode a : argsNode) {
                        if (!a.isTextual()) {
                            problems.add("models." + e.getKey() + ".args must be an array of strings, found " + describe(a));
                            break;
                        }
                        args.add(a.textValue());
                    }
                }
            }
            models.put(e.getKey(), new ModelArgs(args));
        }
        return models;
    }

    private static List<Hardware> hardware(JsonNode v, List<String> problems) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            problems.add("hardware must be an array of {\"type\", \"count\"}, got " + describe(v));
            return null;
        }
        List<Hardware> hardware = new ArrayList<>();
        int i = 0;
        for (JsonNode h : v) {
            String at = "hardware[" + i++ + "]";
            if (!h.isObject()) {
                problems.add(at + " must be an object {\"type\", \"count\"}, got " + describe(h));
                continue;
            }
            JsonNode type = h.get("type");
            JsonNode count = h.get("count");
            if (type != null && !type.isNull() && !type.isTextual()) {
                problems.add(at + ".type must be a string, got " + describe(type));
                continue;
            }
            if (count != null && !count.isNull()
                    && (!count.isIntegralNumber() || !count.canConvertToLong()
                    || count.longValue() < 0 || count.longValue() > 0xFFFF_FFFFL)) {
                problems.add(at + ".count must be an integer between 0 and 4294967295, got " + describe(count));
                continue;
            }
            hardware.add(new Hardware(type == null || type.isNull() ? "" : type.textValue(),
                    count == null || count.isNull() ? 0 : count.longValue()));
        }
        return hardware;
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            String t = v.textValue();
            return "the string \"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"";
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "an object";
        }
        return v.getNodeType().name().toLowerCase();
    }
}
