package io.gonkanode.collector.security;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest {

    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void blocksContainTheirAddressesOnly() throws Exception {
        Cidr ten = Cidr.parse("10.0.0.0/8");
        assertTrue(ten.contains(ip("10.255.1.2")));
        assertFalse(ten.contains(ip("11.0.0.1")));
        Cidr odd = Cidr.parse("192.168.4.0/22");
        assertTrue(odd.contains(ip("192.168.7.255")));
        assertFalse(odd.contains(ip("192.168.8.0")));
        Cidr one = Cidr.parse("172.17.0.5");
        assertTrue(one.contains(ip("172.17.0.5")));
        assertFalse(one.contains(ip("172.17.0.6")));
        Cidr v6 = Cidr.parse("fd00::/8");
        assertTrue(v6.contains(ip("fd12:3456::1")));
        assertFalse(v6.contains(ip("10.0.0.1")), "families never mix");
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8")));
    }

    @Test
    void namesAndBadPrefixesAreRefusedWithoutALookup() {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/x"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(""));
    }
}
