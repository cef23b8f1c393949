package io.gonkanode.sim.fastapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of pydantic v2 (lax mode) to answer like the real FastAPI ML node: fields are checked and
 * coerced the way pydantic does ("5" is a valid int, 5.5 is not), and every problem becomes an entry of
 * the 422 {@code {"detail": [...]}} list with pydantic's type, loc, msg and input.
 */
public final class Pydantic {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public enum Kind { STR, INT, FLOAT, BOOL, LIST, MODEL }

    /** One declared field: its kind, whether it is required, its default, and for lists/models their element. */
    public record Field(String name, Kind kind, boolean required, JsonNode defaultValue, Field element, Model model,
                        boolean nullable) {
    }

    /** A pydantic model: named fields, and whether unknown keys are forbidden ({@code extra="forbid"}). */
    public static final class Model {
        final String name;
        final Map<String, Field> fields = new LinkedHashMap<>();
        final boolean forbidExtra;

        public Model(String name, boolean forbidExtra) {
            this.name = name;
            this.forbidExtra = forbidExtra;
        }

        public Model required(String field, Kind kind) {
            fields.put(field, new Field(field, kind, true, null, null, null, false));
            return this;
        }

        public Model optional(String field, Kind kind, JsonNode defaultValue) {
            fields.put(field, new Field(field, kind, false, defaultValue, null, null, true));
            return this;
        }

        public Model requiredList(String field, Kind element) {
            fields.put(field, new Field(field, Kind.LIST, true, null,
                    new Field("", element, true, null, null, null, false), null, false));
            return this;
        }

        public Model optionalList(String field, Kind element, JsonNode defaultValue) {
            fields.put(field, new Field(field, Kind.LIST, false, defaultValue,
                    new Field("", element, true, null, null, null, false), null, false));
            return this;
        }

        public Model requiredListOf(String field, Model element) {
            fields.put(field, new Field(field, Kind.LIST, true, null,
                    new Field("", Kind.MODEL, true, null, null, element, false), null, false));
            return this;
        }

        public Model requiredModel(String field, Model model) {
            fields.put(field, new Field(field, Kind.MODEL, true, null, null, model, false));
            return this;
        }

        public Model optionalModel(String field, Model model) {
            fields.put(field, new Field(field, Kind.MODEL, false, F.nullNode(), null, model, true));
            return this;
        }
    }

    /** The coerced body, or the 422 entries. */
    public record Result(ObjectNode value, ArrayNode errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private Pydantic() {
    }

    public static Result validate(Model model, JsonNode body) {
        ArrayNode errors = F.arrayNode();
        List<Object> loc = new ArrayList<>();
        loc.add("body");
        JsonNode value = validateModel(model, body, loc, errors);
        return new Result(value instanceof ObjectNode o ? o : F.objectNode(), errors);
    }

    private static JsonNode validateModel(Model model, JsonNode input, List<Object> loc, ArrayNode errors) {
        if (input == null || !input.isObject()) {
            errors.add(error(loc.size() == 1 ? "model_attributes_type" : "model_type", loc,
                    loc.size() == 1 ? "Input should be a valid dictionary or object to extract fields from"
                            : "Input should be a valid dictionary or instance of " + model.name,
                    input == null ? F.nullNode() : input));
            return null;
        }
        ObjectNode out = F.objectNode();
        for (Field field : model.fields.values()) {
            List<Object> at = new ArrayList<>(loc);
            at.add(field.name());
            JsonNode v = input.get(field.name());
            if (v == null) {
                if (field.required()) {
                    errors.add(error("missing", at, "Field required", input));
                } else {
                    out.set(field.name(), field.defaultValue() == null ? F.nullNode() : field.defaultValue());
                }
                continue;
            }
            if (v.isNull() && field.nullable()) {
                out.set(field.name(), F.nullNode());
                continue;
            }
            JsonNode coerced = coerce(field, v, at, errors);
            if (coerced != null) {
                out.set(field.name(), coerced);
            }
        }
        if (model.forbidExtra) {
            input.fieldNames().forEachRemaining(name -> {
                if (!model.fields.containsKey(name)) {
                    List<Object> at = new ArrayList<>(loc);
                    at.add(name);
                    errors.add(error("extra_forbidden", at, "Extra inputs are not permitted", input.get(name)));
                }
            });
        }
        return out;
    }

    private static JsonNode coerce(Field field, JsonNode v, List<Object> loc, ArrayNode errors) {
        switch (field.kind()) {
            case STR -> {
                if (v.isTextual()) {
                    return v;
                }
                errors.add(error("string_type", loc, "Input should be a valid string", v));
                return null;
            }
            case INT -> {
                if (v.isIntegralNumber() || v.isBoolean()) {
                    return v.isBoolean() ? F.numberNode(v.booleanValue() ? 1 : 0) : v;
                }
                if (v.isNumber()) {
                    BigDecimal d = v.decimalValue();
                    if (d.stripTrailingZeros().scale() <= 0) {
                        return F.numberNode(d.toBigInteger());
                    }
                    errors.add(error("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", v));
                    return null;
                }
                if (v.isTextual()) {
                    try {
                        return F.numberNode(new java.math.BigInteger(v.textValue().trim()));
                    } catch (NumberFormatException e) {
                        errors.add(error("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", v));
                        return null;
                    }
                }
                errors.add(error("int_type", loc, "Input should be a valid integer", v));
                return null;
            }
            case FLOAT -> {
                if (v.isNumber()) {
                    return F.numberNode(v.doubleValue());
                }
                if (v.isTextual()) {
                    try {
                        return F.numberNode(Double.parseDouble(v.textValue().trim()));
                    } catch (NumberFormatException e) {
                        errors.add(error("float_parsing", loc, "Input should be a valid number, unable to parse string as a number", v));
                        return null;
                    }
                }
                errors.add(error("float_type", loc, "Input should be a valid number", v));
                return null;
            }
            case BOOL -> {
                if (v.isBoolean()) {
                    return v;
                }
                if (v.isIntegralNumber() && (v.longValue() == 0 || v.longValue() == 1)) {
                    return F.booleanNode(v.longValue() == 1);
                }
                if (v.isTextual()) {
                    String t = v.textValue().trim().toLowerCase();
                    if (List.of("true", "1", "yes", "on", "t", "y").contains(t)) {
                        return F.booleanNode(true);
                    }
                    if (List.of("false", "0", "no", "off", "f", "n").contains(t)) {
                        return F.booleanNode(false);
                    }
                }
                errors.add(error("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", v));
                return null;
            }
            case LIST -> {
                if (!v.isArray()) {
                    errors.add(error("list_type", loc, "Input should be a valid list", v));
                    return null;
                }
                ArrayNode out = F.arrayNode();
                int i = 0;
                int before = errors.size();
                for (JsonNode item : v) {
                    List<Object> at = new ArrayList<>(loc);
                    at.add(i++);
                    JsonNode c = coerce(field.element(), item, at, errors);
                    if (c != null) {
                        out.add(c);
                    }
                }
                return errors.size() == before ? out : null;
            }
            case MODEL -> {
                return validateModel(field.model(), v, loc, errors);
            }
            default -> throw new IllegalStateException();
        }
    }

    static ObjectNode error(String type, List<Object> loc, String msg, JsonNode input) {
        ObjectNode e = F.objectNode();
        e.put("type", type);
        ArrayNode l = e.putArray("loc");
        for (Object o : loc) {
            if (o instanceof Integer i) {
                l.add(i);
            } else {
                l.add(o.toString());
            }
        }
        e.put("msg", msg);
        e.set("input", input);
        return e;
    }
}
