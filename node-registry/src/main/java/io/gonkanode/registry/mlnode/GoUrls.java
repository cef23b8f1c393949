package io.gonkanode.registry.mlnode;

import java.nio.charset.StandardCharsets;

/** Go's {@code url.PathEscape}, which upstream applies twice to the model id in PoC callback URLs. */
public final class GoUrls {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private GoUrls() {
    }

    /** Escapes like Go's {@code url.PathEscape}: everything but unreserved characters and {@code $&+:=@}. */
    public static String pathEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (keep(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean keep(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~'
                || c == '$' || c == '&' || c == '+' || c == ':' || c == '=' || c == '@';
    }

    /** The per-model PoC callback base: {@code <callback>/v2/poc-batches/<model escaped twice>}. */
    public static String pocCallbackUrl(String callbackBase, String modelId) {
        return pocCallbackUrl(callbackBase, null, modelId);
    }

    /** The same with the callback token in front of the route, {@code <callback>/t/<token>/v2/...}, when one is set. */
    public static String pocCallbackUrl(String callbackBase, String token, String modelId) {
        String base = callbackBase;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + (token == null || token.isEmpty() ? "" : "/t/" + token) + "/v2/poc-batches/" + pathEscape(pathEscape(modelId));
    }
}
