package io.gonkanode.registry.node;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host names as operators type them. The Gonka guide itself shows {@code "host": "http://10.0.0.21"},
 * which upstream turns into {@code http://http://...}; we accept a scheme and store the bare host.
 */
public final class HostNames {

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

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
            return IPV6.matcher(host).matches() && host.chars().filter(c -> c == ':').count() >= 2;
        }
        if (IPV4.matcher(host).matches()) {
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
