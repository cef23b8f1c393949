package io.gonkanode.collector.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chain data as upstream's API prints it: Go's {@code encoding/json} over gogoproto structs (reads §3.7, network
 * node §3.3), not protobuf's JSON mapping. Keys are the proto field names, every field is {@code omitempty} (zero
 * numbers, empty strings, false, empty lists and absent messages are left out), 64-bit integers are JSON
 * numbers, enums their numbers, bytes base64. And CometBFT's RPC JSON (int64 as strings, typed keys) turned into
 * the same Go structs' {@code encoding/json} form for {@code block} and {@code validators}.
 */
public final class GoJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** The block's and validators' int64/uint64/int32 fields that CometBFT's own JSON quotes. */
    private static final Set<String> COMET_NUMBERS = Set.of("height", "block", "app", "total", "round", "voting_power",
            "proposer_priority");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private GoJson() {
    }

    public static ObjectNode of(Message message) {
        ObjectNode out = F.objectNode();
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            if (f.isRepeated()) {
                ArrayNode list = out.putArray(f.getName());
                for (Object item : (Iterable<?>) e.getValue()) {
                    list.add(value(f, item));
                }
            } else {
                JsonNode v = value(f, e.getValue());
                out.set(f.getName(), v);
            }
        }
        return out;
    }

    private static JsonNode value(FieldDescriptor f, Object v) {
        return switch (f.getJavaType()) {
            case MESSAGE -> of((Message) v);
            case INT -> F.numberNode((Integer) v);
            case LONG -> f.getType() == FieldDescriptor.Type.UINT64 || f.getType() == FieldDescriptor.Type.FIXED64
                    ? F.numberNode(new java.math.BigInteger(Long.toUnsignedString((Long) v))) : F.numberNode((Long) v);
            case BOOLEAN -> F.booleanNode((Boolean) v);
            case STRING -> F.textNode((String) v);
            case BYTE_STRING -> F.textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
            case ENUM -> F.numberNode(((EnumValueDescriptor) v).getNumber());
            case FLOAT -> F.numberNode((Float) v);
            case DOUBLE -> F.numberNode((Double) v);
        };
    }

    /** A {@code block} RPC result's {@code block} as Go's encoding/json prints {@code types.Block}: heights, rounds and counts as numbers. */
    public static JsonNode cometBlock(JsonNode block) {
        JsonNode copy = block.deepCopy();
        unquote(copy);
        return copy;
    }

    /** A {@code validators} RPC result's list as {@code []*types.Validator}: the public key as bare base64, powers as numbers. */
    public static ArrayNode cometValidators(JsonNode validators) {
        ArrayNode out = F.arrayNode();
        for (JsonNode v : validators) {
            ObjectNode o = out.addObject();
            o.set("address", v.path("address"));
            o.set("pub_key", v.path("pub_key").path("value"));
            o.set("voting_power", number(v.path("voting_power")));
            o.set("proposer_priority", number(v.path("proposer_priority")));
        }
        return out;
    }

    private static void unquote(JsonNode node) {
        if (node instanceof ObjectNode o) {
            var names = o.fieldNames();
            java.util.List<String> keys = new java.util.ArrayList<>();
            names.forEachRemaining(keys::add);
            for (String k : keys) {
                JsonNode v = o.get(k);
                if (COMET_NUMBERS.contains(k) && v.isTextual()) {
                    o.set(k, number(v));
                } else {
                    unquote(v);
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(GoJson::unquote);
        }
    }

    private static JsonNode number(JsonNode v) {
        String text = v.asText();
        return v.isTextual() && INTEGER.matcher(text).matches() ? F.numberNode(new java.math.BigInteger(text)) : v;
    }
}
