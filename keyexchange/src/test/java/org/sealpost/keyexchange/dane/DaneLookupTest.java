package org.sealpost.keyexchange.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.dnssec.TlsaRecord;
import org.sealpost.dnssec.TrustAnchors;
import org.sealpost.dnssec.ValidatingDnsResolver;
import org.sealpost.dnssec.lab.KnotLab;

/** DaneLookup -> ValidatingDnsResolver -> unbound -> knotd with the lab's zones. */
class DaneLookupTest {

    @TempDir
    static Path dir;

    private static KnotLab lab;
    private static DaneLookup dane;

    @BeforeAll
    static void startLab() throws Exception {
        lab = KnotLab.start(dir);
        dane = new DaneLookup(new ValidatingDnsResolver(List.of(lab.startUnbound()), Duration.ofSeconds(2),
                TrustAnchors.fromFile(lab.trustAnchors, true)));
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void secureHostWithUsableTlsa_isDane() {
        TlsaDecision decision = dane.forHost("mx.good.test", 25).join();
        assertEquals(TlsaDecision.Kind.DANE, decision.kind(), decision.reason());
        assertEquals(List.of(new TlsaRecord(3, 1, 1, KnotLab.TLSA_DATA)), decision.records());
    }

    @Test
    void secureCname_movesTheTlsaBaseDomain() {
        TlsaDecision decision = dane.forHost("alias.good.test", 25).join();
        assertEquals(TlsaDecision.Kind.DANE, decision.kind(), decision.reason());
        assertEquals("mx.good.test", decision.baseDomain());
    }

    @Test
    void bogusTlsa_defers() {
        TlsaDecision decision = dane.forHost("mx.bogus.test", 25).join();
        assertEquals(TlsaDecision.Kind.DEFER, decision.kind(), decision.reason());
        assertTrue(decision.reason().contains("BOGUS"), decision.reason());
    }

    @Test
    void onlyUnusableRecords_meanEncrypt() {
        assertEquals(TlsaDecision.Kind.ENCRYPT, dane.forHost("pkix.good.test", 25).join().kind());
    }

    @Test
    void provenAbsence_andUnsignedHosts_meanNoDane() {
        assertEquals(TlsaDecision.Kind.NO_DANE, dane.forHost("notlsa.good.test", 25).join().kind());
        assertEquals(TlsaDecision.Kind.NO_DANE, dane.forHost("mx.plain.test", 25).join().kind());
        assertEquals(TlsaDecision.Kind.NO_DANE, dane.forHost("mx.insecure.good.test", 25).join().kind());
    }

    @Test
    void failedTlsaLookup_defers_neverMeansNoDane() {
        TlsaDecision decision = DaneLookup.decide("mx.example.test", "_25._tcp.mx.example.test",
                DnsAnswer.failed(Outcome.SERVFAIL, Security.INSECURE, "SERVFAIL"));
        assertEquals(TlsaDecision.Kind.DEFER, decision.kind());
        assertEquals(TlsaDecision.Kind.DEFER, DaneLookup.decide("mx.example.test", "_25._tcp.mx.example.test",
                DnsAnswer.failed(Outcome.TIMEOUT, Security.INSECURE, "timeout")).kind());
    }
}
