package io.gonkanode.collector.artifact;

import java.nio.charset.StandardCharsets;

/** The per-model callback base upstream gives ML nodes: {@code <callback>/v2/poc-batches/<model escaped twice>}. */
public final class CallbackUrls {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CallbackUrls() {
    }

    public static String forModel(String callbackBase, String modelId) {
        return forModel(callbackBase, null, modelId);
    }

    /** The same with the callback token in front of the route ({@code <callback>/t/<token>/v2/...}) when one is set. */
    public static String forModel(String callbackBase, String token, String modelId) {
        String base = callbackBase;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + (token == null || token.isEmpty() ? "" : "/t/" + token) + "/v2/poc-batches/" + pathEscape(pathEscape(modelId));
    }

    /** Go's url.PathEscape: all but unreserved characters and {@code $&+:=@} are escaped. */
    static String pathEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-_.~$&+:=@".indexOf(c) >= 0;
            if (keep) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
