package io.gonkanode.registry.mlnode;

/**
 * Text that came from an ML node (its state, version, model, error bodies) before it is stored or shown:
 * control characters become spaces (PostgreSQL refuses NUL in text, and one refused row would fail the
 * whole batch of state writes) and the length is capped to the column.
 */
public final class Untrusted {

    private Untrusted() {
    }

    public static String text(String s, int max) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                out.append(c == '\n' || c == '\t' ? ' ' : '?');
            } else {
                out.append(c);
            }
        }
        if (out.length() == max && s.length() > max) {
            out.setLength(Math.max(0, max - 3));
            out.append("...");
        }
        return out.toString();
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
