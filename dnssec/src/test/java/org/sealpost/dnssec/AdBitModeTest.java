package org.sealpost.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;

/** PlainDnsResolver trusting the AD bit -> unbound validating on loopback -> knotd with the lab's zones. */
class AdBitModeTest {

    @TempDir
    static Path dir;

    private static KnotLab lab;
    private static PlainDnsResolver resolver;

    @BeforeAll
    static void startLab() throws Exception {
        lab = KnotLab.start(dir);
        resolver = new PlainDnsResolver(List.of(lab.startUnbound()), Duration.ofSeconds(2), true);
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void validatedAnswer_isSecure() {
        assertEquals(Security.SECURE, resolver.tlsa("_25._tcp.mx.good.test").join().security());
    }

    @Test
    void tamperedAnswer_isBogus_notInsecure() {
        DnsAnswer<MxRecord> answer = resolver.mx("bogus.test").join();
        assertEquals(Security.BOGUS, answer.security(), answer.reason());
    }

    @Test
    void expiredSignatures_areNeverSecureOrInsecure() {
        DnsAnswer<MxRecord> answer = resolver.mx("expired.test").join();
        assertEquals(Outcome.SERVFAIL, answer.outcome());
        assertEquals(Security.BOGUS, answer.security(), answer.reason());
    }

    @Test
    void unsignedZone_isInsecure() {
        DnsAnswer<MxRecord> answer = resolver.mx("plain.test").join();
        assertEquals(Outcome.FOUND, answer.outcome());
        assertEquals(Security.INSECURE, answer.security());
    }

    @Test
    void adBitFromOffLoopback_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PlainDnsResolver(
                List.of(new InetSocketAddress("192.0.2.53", 53)), Duration.ofSeconds(1), true));
    }
}
