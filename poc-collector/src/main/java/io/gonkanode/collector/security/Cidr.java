package io.gonkanode.collector.security;

import io.smallrye.common.net.CidrAddress;
import io.smallrye.common.net.Inet;

import java.net.InetAddress;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a block of one.
 * Parsing and matching are SmallRye Common's ({@link Inet}, {@link CidrAddress}); this adds only the
 * operator-facing error messages.
 */
public record Cidr(CidrAddress block) {

    /** Parses {@code a.b.c.d[/n]} or an IPv6 literal with an optional prefix; never resolves names. */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        InetAddress address = Inet.parseInetAddress(slash < 0 ? s : s.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("not an IP address or CIDR block: " + text);
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
        }
        return new Cidr(CidrAddress.create(address, prefix));
    }

    public boolean contains(InetAddress address) {
        return block.matches(address);
    }

    /** As an operator writes it: {@code 10.0.0.0/8}. */
    @Override
    public String toString() {
        return block.getNetworkAddress().getHostAddress() + "/" + block.getNetmaskBits();
    }
}
