package io.gonkanode.registry.selftest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * Are PoC v2 artifact vectors what an ML node should send: {@code vector_b64} is base64 of {@code k_dim} float16,
 * little-endian (k_dim 12: 24 bytes), all of one length, every value finite, not all zero, and not one vector repeated
 * (a node whose model is broken sends NaNs, zeros or a constant).
 */
public record VectorCheck(int checked, int kDim, int distinct, boolean finite, double meanNorm, String problem) {

    public static VectorCheck of(JsonNode artifacts) {
        int checked = 0;
        int kDim = -1;
        boolean finite = true;
        boolean allZero = true;
        double norms = 0;
        Set<String> distinct = new HashSet<>();
        for (JsonNode a : artifacts) {
            byte[] v;
            try {
                v = Base64.getDecoder().decode(a.path("vector_b64").asText());
            } catch (IllegalArgumentException e) {
                return bad(checked, "nonce " + a.path("nonce").asLong() + ": vector_b64 is not base64");
            }
            if (v.length == 0 || v.length % 2 != 0) {
                return bad(checked, "nonce " + a.path("nonce").asLong() + ": " + v.length + " bytes, not a float16 vector");
            }
            if (kDim >= 0 && v.length / 2 != kDim) {
                return bad(checked, "vectors of " + kDim + " and " + v.length / 2 + " values");
            }
            kDim = v.length / 2;
            double sum = 0;
            for (int i = 0; i < kDim; i++) {
                int bits = (v[2 * i] & 0xff) | (v[2 * i + 1] & 0xff) << 8;
                if ((bits & 0x7c00) == 0x7c00) {
                    finite = false;
                    continue;
                }
                double x = half(bits);
                allZero &= x == 0;
                sum += x * x;
            }
            norms += Math.sqrt(sum);
            distinct.add(a.path("vector_b64").asText());
            checked++;
        }
        String problem = "";
        if (checked == 0) {
            problem = "no vectors";
        } else if (!finite) {
            problem = "NaN or infinite values";
        } else if (allZero) {
            problem = "every value is zero";
        } else if (checked > 1 && distinct.size() == 1) {
            problem = "every artifact has the same vector";
        }
        return new VectorCheck(checked, kDim, distinct.size(), finite, checked == 0 ? 0 : norms / checked, problem);
    }

    private static VectorCheck bad(int checked, String problem) {
        return new VectorCheck(checked, 0, 0, false, 0, problem);
    }

    /** IEEE 754 half precision (Java 17 has no Float.float16ToFloat). */
    static double half(int bits) {
        int sign = (bits >> 15) & 1;
        int exponent = (bits >> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        double value = exponent == 0 ? fraction / 1024.0 * Math.pow(2, -14) : (1 + fraction / 1024.0) * Math.pow(2, exponent - 15);
        return sign == 1 ? -value : value;
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        out.put("checked", checked);
        out.put("k_dim", kDim);
        out.put("distinct", distinct);
        out.put("finite", finite);
        out.put("mean_norm", Math.round(meanNorm * 1000) / 1000.0);
        return out;
    }
}
