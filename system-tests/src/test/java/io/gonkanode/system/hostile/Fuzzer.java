package io.gonkanode.system.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hostile requests for a route: odd path parameters (traversal, encodings, unicode, very long), junk
 * query strings, bodies that are not JSON or not the right JSON (every field of a valid body replaced by
 * every wrong type, huge arrays, deep nesting, long and control-character strings, dropped), wrong
 * content types and wrong methods.
 */
final class Fuzzer {

    /** A route as the service's OpenAPI document declares it, with a valid body to start from. */
    record Route(String service, int port, String method, String template, String seed, Map<String, String> headers) {
    }

    /** One request to send. */
    record Case(Route route, String method, String target, Map<String, String> headers, byte[] body, String what) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Path parameter values, already as raw bytes of the request target. */
    static final List<String> ODD_SEGMENTS = List.of(
            "..%2F..%2F..%2Fetc%2Fpasswd", "..", "%2e%2e", "%00", "%FF%FE", "%E8%8A%82%E7%82%B9", "%F0%9F%99%82",
            "a".repeat(5000), "%20", "%2F", "%3B", ";x=1", "-1", "99999999999999999999999", "1e5", "null", "%25",
            "%252F", "x%0D%0ASet-Cookie:%20a=b", "%C0%AE%C0%AE", "~", "*", "$(id)", "'%20OR%20'1'='1");

    static final List<String> ODD_QUERIES = List.of("?%ZZ", "?a=%00&&=&b", "?" + "x=1&".repeat(2000));

    static final String DEEP = "[".repeat(5000) + "]".repeat(5000);

    /** Replacement values for one field; strings starting with a raw marker are pasted verbatim. */
    static final List<Object> WRONG = List.of(
            -1, 0, Long.MAX_VALUE, "RAW:18446744073709551616", "RAW:1e400", 1.5, "RAW:-0",
            "", " ", "a".repeat(100_000), "\u0000\u0001\u001f", "节点🙂", "../../etc/passwd", "http://169.254.169.254/latest/",
            "<script>alert(1)</script>", true, "NULL", "ARRAY", "OBJECT", "BIGARRAY", "RAW:" + DEEP);

    static final List<byte[]> WHOLE_BODIES = List.of(
            bytes(""), bytes("{"), bytes("}"), bytes("["), bytes("null"), bytes("true"), bytes("123"), bytes("\"text\""),
            bytes("{\"a\":}"), bytes("{'a':1}"), bytes("{\"a\":1}garbage"), bytes("\uFEFF{}"), new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', ':', '1', '}'},
            bytes("[".repeat(100_000)), bytes("[" + "0,".repeat(2_000_000) + "0]"), bytes("{\"id\":\"a\",\"id\":\"b\"}"),
            bytes("{\"a\":\"" + "x".repeat(12 * 1024 * 1024) + "\"}"), bytes("{\"a\":" + "1".repeat(100_000) + "}"),
            bytes("{" + "\"k\":1,".repeat(200_000) + "\"k\":1}"), new byte[] {0, 0, 0, 0});

    static final Map<String, byte[]> CONTENT_TYPES = Map.of(
            "text/plain", bytes("hello"),
            "application/xml", bytes("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"),
            "multipart/form-data; boundary=zz", bytes("--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--zz--\r\n"),
            "application/x-www-form-urlencoded", bytes("a=b&c=%ZZ"),
            "application/json; charset=utf-16", "{\"a\":1}".getBytes(StandardCharsets.UTF_16));

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    /** Fills the template's parameters with the samples, except {@code odd} for {@code oddParam}. */
    static String fill(String template, Map<String, String> samples, String oddParam, String odd) {
        Matcher m = PARAM.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(name.equals(oddParam) ? odd : samples.getOrDefault(name, "x")));
        }
        m.appendTail(out);
        return out.toString();
    }

    static List<String> params(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static List<Case> cases(Route r, Map<String, String> samples, Set<String> declaredMethods) throws Exception {
        List<Case> out = new ArrayList<>();
        String path = fill(r.template(), samples, null, null);
        byte[] seed = r.seed() == null ? null : bytes(r.seed());
        Map<String, String> json = new LinkedHashMap<>(r.headers());
        if (seed != null) {
            json.put("Content-Type", "application/json");
        }
        for (String p : params(r.template())) {
            for (String odd : ODD_SEGMENTS) {
                out.add(new Case(r, r.method(), fill(r.template(), samples, p, odd), json, seed, p + "=" + abbreviate(odd)));
            }
        }
        for (String q : ODD_QUERIES) {
            out.add(new Case(r, r.method(), path + q, json, seed, "query " + abbreviate(q)));
        }
        if (seed != null) {
            for (byte[] body : WHOLE_BODIES) {
                out.add(new Case(r, r.method(), path, json, body, "body " + abbreviate(new String(body, StandardCharsets.UTF_8))));
            }
            JsonNode tree = JSON.readTree(seed);
            for (String pointer : pointers(tree, "", 0)) {
                out.add(new Case(r, r.method(), path, json, bytes(without(tree, pointer)), "drop " + pointer));
                for (Object wrong : WRONG) {
                    out.add(new Case(r, r.method(), path, json, bytes(replaced(tree, pointer, wrong)), pointer + "=" + abbreviate(String.valueOf(wrong))));
                }
            }
            for (Map.Entry<String, byte[]> ct : CONTENT_TYPES.entrySet()) {
                Map<String, String> h = new LinkedHashMap<>(r.headers());
                h.put("Content-Type", ct.getKey());
                out.add(new Case(r, r.method(), path, h, ct.getValue(), "content-type " + ct.getKey()));
            }
            out.add(new Case(r, r.method(), path, r.headers(), seed, "no content-type"));
        }
        Map<String, String> bigHeader = new LinkedHashMap<>(json);
        bigHeader.put("X-Filler", "f".repeat(64 * 1024));
        out.add(new Case(r, r.method(), path, bigHeader, seed, "64 KiB header"));
        return out;
    }

    /** The wrong methods of a path (what its routes do not declare). */
    static List<Case> wrongMethods(Route any, Map<String, String> samples, Set<String> declared) {
        List<Case> out = new ArrayList<>();
        String path = fill(any.template(), samples, null, null);
        for (String m : METHODS) {
            if (!declared.contains(m)) {
                Map<String, String> h = new LinkedHashMap<>(any.headers());
                h.put("Content-Type", "application/json");
                out.add(new Case(any, m, path, h, bytes("{}"), "method " + m));
            }
        }
        return out;
    }

    static List<String> pointers(JsonNode node, String at, int depth) {
        List<String> out = new ArrayList<>();
        if (depth > 3) {
            return out;
        }
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                String p = at + "/" + name.replace("~", "~0").replace("/", "~1");
                out.add(p);
                out.addAll(pointers(node.get(name), p, depth + 1));
            }
        } else if (node.isArray() && node.size() > 0) {
            out.add(at + "/0");
            out.addAll(pointers(node.get(0), at + "/0", depth + 1));
        }
        return out;
    }

    private static final String MARK = "\"__FUZZ_VALUE__\"";

    static String replaced(JsonNode tree, String pointer, Object wrong) throws Exception {
        JsonNode copy = tree.deepCopy();
        String raw = null;
        JsonNode value;
        if (wrong instanceof Integer i) {
            value = F.numberNode(i);
        } else if (wrong instanceof Long l) {
            value = F.numberNode(l);
        } else if (wrong instanceof Double d) {
            value = F.numberNode(d);
        } else if (wrong instanceof Boolean b) {
            value = F.booleanNode(b);
        } else {
            String s = (String) wrong;
            switch (s) {
                case "NULL" -> value = F.nullNode();
                case "ARRAY" -> value = F.arrayNode();
                case "OBJECT" -> value = F.objectNode();
                case "BIGARRAY" -> {
                    ArrayNode a = F.arrayNode();
                    for (int i = 0; i < 100_000; i++) {
                        a.add(0);
                    }
                    value = a;
                }
                default -> {
                    if (s.startsWith("RAW:")) {
                        raw = s.substring(4);
                        value = F.textNode("__FUZZ_VALUE__");
                    } else {
                        value = F.textNode(s);
                    }
                }
            }
        }
        set(copy, pointer, value);
        String text = JSON.writeValueAsString(copy);
        return raw == null ? text : text.replace(MARK, raw);
    }

    static String without(JsonNode tree, String pointer) throws Exception {
        JsonNode copy = tree.deepCopy();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = copy.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        if (parent instanceof ObjectNode o) {
            o.remove(last);
        } else if (parent instanceof ArrayNode a) {
            a.remove(Integer.parseInt(last));
        }
        return JSON.writeValueAsString(copy);
    }

    private static void set(JsonNode root, String pointer, JsonNode value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), value);
        }
    }

    static String abbreviate(String s) {
        String flat = s.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 60 ? flat.substring(0, 40) + "...(" + flat.length() + " chars)" : flat;
    }
}
