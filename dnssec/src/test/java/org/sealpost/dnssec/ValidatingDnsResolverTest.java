package org.sealpost.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;

/** ValidatingDnsResolver -> knotd serving zones signed for this run (good, tampered, expired, unsigned). */
class ValidatingDnsResolverTest {

    @TempDir
    static Path dir;

    private static KnotLab lab;
    private static ValidatingDnsResolver resolver;
    private static java.net.InetSocketAddress unbound;

    @BeforeAll
    static void startLab() throws Exception {
        lab = KnotLab.start(dir);
        unbound = lab.startUnbound();
        resolver = new ValidatingDnsResolver(List.of(lab.address), Duration.ofSeconds(2),
                TrustAnchors.fromFile(lab.trustAnchors, true));
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void signedZone_isSecure() {
        DnsAnswer<MxRecord> answer = resolver.mx("good.test").join();
        assertEquals(Outcome.FOUND, answer.outcome(), answer.reason());
        assertEquals(Security.SECURE, answer.security());
        assertEquals(List.of(new MxRecord(10, "mx.good.test")), answer.records());
    }

    @Test
    void addressesThroughASignedCname_areSecure() {
        DnsAnswer<InetAddress> answer = resolver.addresses("alias.good.test").join();
        assertEquals(Security.SECURE, answer.security(), answer.reason());
        assertTrue(answer.records().stream().anyMatch(a -> a.getHostAddress().equals("127.0.0.3")));
    }

    @Test
    void recordChangedAfterSigning_isBogus_withTheReason() {
        DnsAnswer<MxRecord> answer = resolver.mx("bogus.test").join();
        assertEquals(Security.BOGUS, answer.security());
        assertTrue(answer.records().isEmpty(), "a bogus answer still carried records");
        assertTrue(answer.reason().contains("MX bogus.test"), answer.reason());
        assertTrue(answer.reason().length() > "MX bogus.test: ".length(), answer.reason());
    }

    @Test
    void expiredSignatures_areBogus_neverInsecure() {
        DnsAnswer<MxRecord> answer = resolver.mx("expired.test").join();
        assertEquals(Security.BOGUS, answer.security(), answer.reason());
    }

    @Test
    void nonexistentName_inASignedZone_isAProvenNxdomain() {
        DnsAnswer<MxRecord> answer = resolver.mx("nothere.good.test").join();
        assertEquals(Outcome.NXDOMAIN, answer.outcome());
        assertEquals(Security.SECURE, answer.security(), "the denial was not proven: " + answer.reason());
    }

    @Test
    void nameWithoutTheType_inASignedZone_isAProvenNodata() {
        DnsAnswer<MxRecord> answer = resolver.mx("mx.good.test").join();
        assertEquals(Outcome.NODATA, answer.outcome());
        assertEquals(Security.SECURE, answer.security());
    }

    @Test
    void zoneOutsideEveryAnchor_isInsecure() {
        DnsAnswer<MxRecord> answer = resolver.mx("plain.test").join();
        assertEquals(Outcome.FOUND, answer.outcome(), answer.reason());
        assertEquals(Security.INSECURE, answer.security());
    }

    @Test
    void tlsaRecord_isReadWithItsFields_andSecure() {
        DnsAnswer<TlsaRecord> answer = resolver.tlsa("_25._tcp.mx.good.test").join();
        assertEquals(Security.SECURE, answer.security(), answer.reason());
        assertEquals(List.of(new TlsaRecord(3, 1, 1, KnotLab.TLSA_DATA)), answer.records());
    }

    @Test
    void txtStrings_areJoined() {
        DnsAnswer<String> answer = resolver.txt("sel._domainkey.good.test").join();
        assertEquals(List.of("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="), answer.records());
    }

    @Test
    void denial_carriesTheNegativeTtlOfRfc2308() {
        DnsAnswer<MxRecord> answer = resolver.mx("nothere.good.test").join();
        assertEquals(300, answer.ttlSeconds(), "the SOA MINIMUM of the lab zones is 300");
    }

    @Test
    void unsignedDelegation_fromASignedZone_isProvablyInsecure() {
        DnsAnswer<MxRecord> answer = resolver.mx("insecure.good.test").join();
        assertEquals(Outcome.FOUND, answer.outcome(), answer.reason());
        assertEquals(Security.INSECURE, answer.security(), answer.reason());
    }

    @Test
    void cnameChainIntoAnUnsignedZone_isNotSecure() throws Exception {
        // Following a CNAME into another zone takes a recursive resolver: validate through unbound.
        ValidatingDnsResolver recursive = new ValidatingDnsResolver(List.of(unbound), Duration.ofSeconds(2),
                TrustAnchors.fromFile(lab.trustAnchors, true));
        DnsAnswer<InetAddress> answer = recursive.addresses("toplain.good.test").join();
        assertEquals(Outcome.FOUND, answer.outcome(), answer.reason());
        assertEquals(Security.INSECURE, answer.security(), "every step of a chain must be signed for SECURE");
    }

    @Test
    void failingServer_isATemporaryServfail() {
        DnsAnswer<MxRecord> answer = resolver.mx("servfail.test").join();
        assertEquals(Outcome.SERVFAIL, answer.outcome(), answer.reason());
        assertTrue(answer.outcome().isTemporary());
    }

    @Test
    void silentServer_isATimeout() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            ValidatingDnsResolver nobody = new ValidatingDnsResolver(
                    List.of((java.net.InetSocketAddress) silent.getLocalSocketAddress()), Duration.ofMillis(300),
                    TrustAnchors.fromFile(lab.trustAnchors, true));
            DnsAnswer<MxRecord> answer = nobody.mx("good.test").join();
            assertEquals(Outcome.TIMEOUT, answer.outcome(), answer.reason());
            assertTrue(answer.security() != Security.SECURE);
        }
    }
}
