package org.sealpost.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory signed zone under the real validator: no process, no socket. */
class InProcessZoneTest {

    private static final String ZONE = """
            $TTL 600
            @ IN SOA ns1 hostmaster 1 3600 900 1209600 300
            @ IN NS ns1
            @ IN MX 10 mx
            ns1 IN A 127.0.0.1
            mx IN A 127.0.0.3
            mx IN AAAA ::1
            alias IN CNAME mx
            _25._tcp.mx IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            """;

    @Test
    void signedRecords_validateAsSecure() throws Exception {
        DnsResolver dns = InProcessZone.signed("inproc.test", ZONE).validatingResolver();
        DnsAnswer<MxRecord> mx = dns.mx("inproc.test").join();
        assertEquals(Security.SECURE, mx.security(), mx.reason());
        assertEquals(List.of(new MxRecord(10, "mx.inproc.test")), mx.records());
        DnsAnswer<TlsaRecord> tlsa = dns.tlsa("_25._tcp.mx.inproc.test").join();
        assertEquals(Security.SECURE, tlsa.security(), tlsa.reason());
    }

    @Test
    void cnameInsideTheZone_isFollowed_andSecure() throws Exception {
        DnsAnswer<InetAddress> answer = InProcessZone.signed("inproc.test", ZONE).validatingResolver()
                .addresses("alias.inproc.test").join();
        assertEquals(Security.SECURE, answer.security(), answer.reason());
        assertEquals("127.0.0.3", answer.records().get(0).getHostAddress());
    }

    @Test
    void tamperedRecord_isBogus() throws Exception {
        InProcessZone zone = InProcessZone.signed("inproc.test", ZONE);
        zone.tamper("mx.inproc.test. 600 IN A 192.0.2.66");
        DnsAnswer<InetAddress> answer = zone.validatingResolver().addresses("mx.inproc.test").join();
        assertEquals(Security.BOGUS, answer.security());
    }

    @Test
    void expiredSignatures_areBogus() throws Exception {
        InProcessZone zone = InProcessZone.signed("inproc.test", ZONE, Instant.parse("2020-01-01T00:00:00Z"),
                Instant.parse("2020-02-01T00:00:00Z"));
        DnsAnswer<MxRecord> answer = zone.validatingResolver().mx("inproc.test").join();
        assertEquals(Security.BOGUS, answer.security(), answer.reason());
    }

    @Test
    void unprovenDenial_isNeverSecure() throws Exception {
        DnsAnswer<MxRecord> answer = InProcessZone.signed("inproc.test", ZONE).validatingResolver()
                .mx("nothere.inproc.test").join();
        assertNotEquals(Security.SECURE, answer.security());
    }
}
