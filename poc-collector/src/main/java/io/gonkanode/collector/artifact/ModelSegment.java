package io.gonkanode.collector.artifact;

import io.gonkanode.common.rest.ApiException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The model id in {@code /v2/poc-batches/{model}/...}: upstream path-escapes it twice (so
 * {@code Qwen/Qwen3-...} travels as {@code Qwen%252FQwen3-...}); the raw segment is percent-decoded twice.
 */
public final class ModelSegment {

    private ModelSegment() {
    }

    public static String decode(String rawSegment) {
        if (rawSegment == null || rawSegment.isEmpty()) {
            throw ApiException.badRequest("model_id required");
        }
        String once = percentDecode(rawSegment);
        String twice = percentDecode(once);
        if (twice.isBlank()) {
            throw ApiException.badRequest("model_id required");
        }
        return twice;
    }

    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw ApiException.badRequest("invalid model_id");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw ApiException.badRequest("invalid model_id");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
