package io.gonkanode.common;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ML nodes' PoC callback URLs as upstream builds them: {@code <callback>/v2/poc-batches/<model>} with the
 * model id escaped twice by Go's {@code url.PathEscape}. node-registry puts them in init/generate,
 * poc-collector in validation requests; both must agree to the byte.
 */
public final class CallbackUrls {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** What a callback token may be: characters that survive a URL path unescaped, 16 to 256 of them. */
    public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{16,256}");

    /** {@code GONKA_CALLBACK_TOKEN=none}: no token, upstream's plain callback URLs. */
    public static final String NO_TOKEN = "none";

    private CallbackUrls() {
    }

    /**
     * {@code GONKA_CALLBACK_TOKEN} as set, stripped: empty when unset or blank, {@link #NO_TOKEN} when turned off (any
     * case), else the token; an IllegalStateException for a value that cannot ride in a URL. Both services read it so.
     */
    public static Optional<String> chosenToken(Optional<String> setting) {
        Optional<String> t = setting.map(String::strip).filter(s -> !s.isEmpty());
        if (t.isPresent() && t.get().toLowerCase(Locale.ROOT).equals(NO_TOKEN)) {
            return Optional.of(NO_TOKEN);
        }
        if (t.isPresent() && !TOKEN.matcher(t.get()).matches()) {
            throw new IllegalStateException("GONKA_CALLBACK_TOKEN must be 16 to 256 characters of A-Z a-z 0-9 . _ ~ - (or none)");
        }
        return t;
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
    public static String forModel(String callbackBase, String modelId) {
        return forModel(callbackBase, null, modelId);
    }

    /** The same with the callback token in front of the route, {@code <callback>/t/<token>/v2/...}, when one is set. */
    public static String forModel(String callbackBase, String token, String modelId) {
        String base = callbackBase;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + (token == null || token.isEmpty() ? "" : "/t/" + token) + "/v2/poc-batches/" + pathEscape(pathEscape(modelId));
    }
}
