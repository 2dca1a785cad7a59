package org.sealpost.signing.spf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sealpost.dnssec.InProcessZone;

/** What the suite does not reach: mapped clients, the resolver adapter, the reasons, the HELO identity. */
class SpfCheckerTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static SpfVerdict check(SpfDns dns, InetAddress client, String helo, String mailFrom) throws Exception {
        return new SpfChecker(dns, "mx.example.net", NOW).check(client, helo, mailFrom).get(10, TimeUnit.SECONDS);
    }

    @Test
    void ipv4MappedClient_isEvaluatedAsIpv4() throws Exception {
        ZoneDns dns = new ZoneDns().add("example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 a:mail.example.com/32 -all")
                .add("mail.example.com", "A", "198.51.100.7");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(new byte[] {(byte) 198, 51, 100, 7}, 0, mapped, 12, 4);
        InetAddress client = Inet6Address.getByAddress(null, mapped, -1);
        assertEquals(SpfResult.PASS, check(dns, client, "mail.example.com", "a@example.com").result());
        // the a mechanism asked for A records, as for an IPv4 client (RFC 7208 5)
        assertTrue(dns.asked.contains("A mail.example.com"), dns.asked.toString());
    }

    @Test
    void includeLoop_isAPermerrorNamingTheLimit() throws Exception {
        ZoneDns dns = new ZoneDns().add("a.example", "TXT", "v=spf1 include:b.example -all")
                .add("b.example", "TXT", "v=spf1 include:a.example -all");
        SpfVerdict verdict = check(dns, InetAddress.getByName("192.0.2.1"), "h.example", "x@a.example");
        assertEquals(SpfResult.PERMERROR, verdict.result());
        assertTrue(verdict.reason().contains("allows 10"), verdict.reason());
    }

    @Test
    void nullSender_checksThePostmasterOfTheHeloName() throws Exception {
        ZoneDns dns = new ZoneDns().add("helo.example", "TXT", "v=spf1 -exists:%{l}.%{d}.check.example -all")
                .add("postmaster.helo.example.check.example", "A", "127.0.0.2");
        SpfVerdict verdict = check(dns, InetAddress.getByName("192.0.2.1"), "helo.example", "");
        assertEquals(SpfResult.FAIL, verdict.result());
        assertTrue(verdict.reason().contains("-exists:"), verdict.reason());
        assertTrue(verdict.explanation().contains("postmaster@helo.example"), verdict.explanation());
    }

    @Test
    void fail_carriesThePublishedExplanationWithMacros() throws Exception {
        ZoneDns dns = new ZoneDns().add("example.com", "TXT", "v=spf1 -all exp=why.example.com")
                .add("why.example.com", "TXT", "%{c} may not send for %{d} (seen by %{r})");
        SpfVerdict verdict = check(dns, InetAddress.getByName("2001:db8::1"), "h.example", "a@example.com");
        assertEquals("2001:db8::1 may not send for example.com (seen by mx.example.net)", verdict.explanation());
        assertEquals("spf=fail ('-all' matched in the SPF record of example.com)", verdict.toString());
    }

    @Test
    void overSealpostResolver_usesAAaaaMxAndPtrLookups() throws Exception {
        InProcessZone zone = InProcessZone.signed("example.com", """
                $ORIGIN example.com.
                @ TXT "v=spf1 mx/24 ptr -all"
                @ MX 10 mx.example.com.
                mx A 192.0.2.10
                host6 AAAA 2001:db8::25
                v6 TXT "v=spf1 a:host6.example.com//64 -all"
                """);
        SpfDns dns = SpfDns.over(zone.validatingResolver());
        assertEquals(SpfResult.PASS, check(dns, InetAddress.getByName("192.0.2.77"), "h.example", "a@example.com").result());
        assertEquals(SpfResult.FAIL, check(dns, InetAddress.getByName("198.51.100.1"), "h.example", "a@example.com").result());
        assertEquals(SpfResult.PASS, check(dns, InetAddress.getByName("2001:db8::99"), "h.example", "a@v6.example.com")
                .result());
    }
}
