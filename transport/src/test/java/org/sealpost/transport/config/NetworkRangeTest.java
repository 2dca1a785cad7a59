package org.sealpost.transport.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NetworkRangeTest {

    @Test
    void ipv4Prefix_containsOnlyItsAddresses() throws Exception {
        NetworkRange range = NetworkRange.parse("192.0.2.128/25");
        assertTrue(range.contains(InetAddress.getByName("192.0.2.200")));
        assertFalse(range.contains(InetAddress.getByName("192.0.2.127")));
        assertFalse(range.contains(InetAddress.getByName("::1")));
    }

    @Test
    void singleAddress_isAFullLengthPrefix() throws Exception {
        NetworkRange range = NetworkRange.parse("::1");
        assertTrue(range.contains(InetAddress.getByName("::1")));
        assertFalse(range.contains(InetAddress.getByName("::2")));
    }

    @Test
    void hostNames_areRefusedWithoutALookup() {
        assertThrows(IllegalArgumentException.class, () -> NetworkRange.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> NetworkRange.parse("127.0.0.1/40"));
    }
}
