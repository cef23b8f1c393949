package io.gonkanode.chainsim.rpc;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A call's parameters in any of CometBFT's three forms: a JSON object by name, a JSON array by position, or a
 * URI query ({@code ?height=5&path="/x"&data=0x0a}), where strings may be quoted and byte strings are 0x-hex.
 */
final class Params {

    private final JsonNode json;
    private final Map<String, String> uri;
    private final List<String> names;

    private Params(JsonNode json, Map<String, String> uri, List<String> names) {
        this.json = json;
        this.uri = uri;
        this.names = names;
    }

    static Params json(JsonNode params, List<String> names) {
        return new Params(params, null, names);
    }

    static Params uri(Map<String, String> query, List<String> names) {
        return new Params(null, query, names);
    }

    /** The raw text of a parameter, or null. */
    private String raw(String name) throws RpcError {
        if (uri != null) {
            String v = uri.get(name);
            if (v == null) {
                return null;
            }
            return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
        }
        JsonNode v;
        if (json == null || json.isNull() || json.isMissingNode()) {
            return null;
        } else if (json.isObject()) {
            v = json.get(name);
        } else if (json.isArray()) {
            int i = names.indexOf(name);
            v = i >= 0 && i < json.size() ? json.get(i) : null;
        } else {
            throw RpcError.invalidParams("params must be an object or an array");
        }
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw RpcError.invalidParams("error converting json params to arguments: " + name + " must be a string, number or bool");
        }
        return v.asText();
    }

    String string(String name) throws RpcError {
        String v = raw(name);
        return v == null ? "" : v;
    }

    /** An int64 given as a JSON string or number; {@code fallback} when absent or empty. */
    long int64(String name, long fallback) throws RpcError {
        String v = raw(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw RpcError.invalidParams("error converting json params to arguments: " + name + ": invalid integer \"" + v + "\"");
        }
    }

    boolean bool(String name) throws RpcError {
        String v = raw(name);
        if (v == null || v.isEmpty()) {
            return false;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw RpcError.invalidParams("error converting json params to arguments: " + name + ": invalid bool \"" + v + "\"");
        }
        return Boolean.parseBoolean(v);
    }

    /** CometBFT's HexBytes: hex in JSON bodies, 0x-hex in URIs. */
    byte[] hexBytes(String name) throws RpcError {
        String v = raw(name);
        if (v == null || v.isEmpty()) {
            return new byte[0];
        }
        String hex = v.startsWith("0x") || v.startsWith("0X") ? v.substring(2) : v;
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw RpcError.invalidParams("error converting json params to arguments: " + name + ": invalid hex");
        }
    }

    /** A plain []byte: base64 in JSON bodies, 0x-hex (or quoted base64) in URIs. */
    byte[] bytes(String name) throws RpcError {
        String v = raw(name);
        if (v == null || v.isEmpty()) {
            return new byte[0];
        }
        try {
            if (uri != null && (v.startsWith("0x") || v.startsWith("0X"))) {
                return HexFormat.of().parseHex(v.substring(2));
            }
            return Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw RpcError.invalidParams("error converting json params to arguments: " + name + ": illegal base64 data");
        }
    }
}
