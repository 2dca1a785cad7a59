package org.sealpost.keyexchange.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The list for a message with TLS-Required: No (RFC 8689 4.2.2): DANE and MTA-STS report, the operator's levels hold. */
class RelaxedPolicyTest {

    private static final Hop HOP = new Hop("example.net", "mx.example.net", 25, true);
    private static final Failure TLSA = Failure.temporary("4.7.5", "dane", Rfc8460ResultType.TLSA_INVALID,
            "no TLSA record matches");
    private static final PublishedPolicy RECORDS = PublishedPolicy.tlsa("mx.example.net", List.of("3 1 1 00"));

    /** DANE that finds usable records (dane-only) whose check of the session fails. */
    private static final DeliveryPolicy FAILING_DANE = TestPolicy.deciding("dane", TlsLevel.DANE_ONLY).onlyUnderDane()
            .verifiedAs("dane").because("usable TLSA records").publishing(RECORDS).checking(Check.fail("dane", TLSA));

    private static final PeerSession PLAINTEXT_PEER = TestPeer.plaintext(HOP.host());

    @Test
    void failingDane_isOnlyReported_andTheLevelIsOpportunistic() {
        Policies strict = new Policies(List.of(new StaticPolicy(Map.of()), new DefaultLevel(TlsLevel.DANE), FAILING_DANE));
        HostPolicy host = strict.relaxed().beforeConnect(HOP).join();
        assertEquals(TlsLevel.MAY, host.level());
        assertEquals("dane", host.decidedBy());
        assertTrue(host.relaxed());
        assertTrue(host.decision().reason().startsWith("TLS-Required: No: dane-only (dane) not enforced"),
                host.decision().reason());
        assertEquals(RECORDS, host.decision().published(), "TLS-RPT still counts the session under the TLSA records");
        Check check = host.afterHandshake(PLAINTEXT_PEER).join();
        assertTrue(check.passed());
        assertEquals(TLSA, check.reportOnly());

        HostPolicy enforced = strict.beforeConnect(HOP).join();
        assertEquals(TlsLevel.DANE_ONLY, enforced.level());
        assertFalse(enforced.relaxed());
        assertFalse(enforced.afterHandshake(PLAINTEXT_PEER).join().passed());
    }

    @Test
    void refusalsOfDaneAndMtaSts_becomeOpportunisticTls() {
        Policies strict = new Policies(List.of(new DefaultLevel(TlsLevel.DANE), TestPolicy.refusing("dane"), TestPolicy.refusing("mta-sts")));
        assertThrows(CompletionException.class, () -> strict.beforeConnect(HOP).join());
        HostPolicy host = strict.relaxed().beforeConnect(HOP).join();
        assertEquals(TlsLevel.MAY, host.level());
        assertEquals("mta-sts", host.decidedBy());
        assertEquals("TLS-Required: No: mta-sts refused mx.example.net", host.decision().reason());
    }

    @Test
    void aStaticTlsPolicy_isNeverRelaxed() {
        Policies strict = new Policies(List.of(new StaticPolicy(Map.of("example.net", TlsLevel.DANE_ONLY)),
                new DefaultLevel(TlsLevel.DANE), FAILING_DANE));
        HostPolicy host = strict.relaxed().beforeConnect(HOP).join();
        assertEquals(TlsLevel.DANE_ONLY, host.level());
        assertFalse(host.afterHandshake(PLAINTEXT_PEER).join().passed());
        Policies encrypt = new Policies(List.of(new StaticPolicy(Map.of("example.net", TlsLevel.ENCRYPT)),
                new DefaultLevel(TlsLevel.DANE), TestPolicy.refusing("mta-sts")));
        assertThrows(CompletionException.class, () -> encrypt.relaxed().beforeConnect(HOP).join());
    }

    @Test
    void aDefaultLevelThatRequiresTls_isNeverRelaxed() {
        for (TlsLevel level : List.of(TlsLevel.ENCRYPT, TlsLevel.DANE_ONLY)) {
            Policies strict = new Policies(List.of(new DefaultLevel(level), TestPolicy.refusing("dane")));
            assertThrows(CompletionException.class, () -> strict.relaxed().beforeConnect(HOP).join(), level.configName());
        }
    }

    @Test
    void theRelaxedList_keepsTheOrder_andIsItsOwnRelaxedList() {
        Policies strict = new Policies(List.of(new DefaultLevel(TlsLevel.DANE), FAILING_DANE));
        assertEquals(strict.names(), strict.relaxed().names());
        assertSame(strict.relaxed(), strict.relaxed().relaxed());
        assertTrue(strict.relaxed().isRelaxed());
        assertFalse(strict.isRelaxed());
    }
}
