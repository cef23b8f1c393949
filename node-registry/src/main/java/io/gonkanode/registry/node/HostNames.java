package io.gonkanode.registry.node;

import io.smallrye.common.net.Inet;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host names as operators type them. The Gonka guide itself shows {@code "host": "http://10.0.0.21"},
 * which upstream turns into {@code http://http://...}; we accept a scheme and store the bare host.
 * Address literals are checked by SmallRye Common's parser, which never resolves a name.
 */
public final class HostNames {

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

    private HostNames() {
    }

    /** Strips a scheme, a trailing slash and IPv6 brackets; the result still needs {@link #isValid}. */
    public static String normalize(String raw) {
        String host = raw.trim();
        host = SCHEME.matcher(host).replaceFirst("");
        while (host.endsWith("/")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host;
    }

    /** A DNS name (docker service names included), an IPv4 address or an IPv6 address. */
    public static boolean isValid(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return Inet.parseInet6Address(host) != null;
        }
        if (Inet.parseInet4Address(host) != null) {
            return true;
        }
        if (host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return false; // looks like an address but is not a valid one
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The host as it goes into a URL authority. */
    public static String forUrl(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    public static String key(String host) {
        return host.toLowerCase(Locale.ROOT);
    }
}
