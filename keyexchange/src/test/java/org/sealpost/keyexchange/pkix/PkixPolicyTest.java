package org.sealpost.keyexchange.pkix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.Certificate;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sealpost.keyexchange.dane.Chains;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.keyexchange.policy.Check;
import org.sealpost.keyexchange.policy.Rfc8460ResultType;

class PkixPolicyTest {

    private static Chains.Issued root;
    private static Chains.Issued intermediate;
    private static List<Certificate> chain;
    private static Set<TrustAnchor> anchors;

    @BeforeAll
    static void chains() throws Exception {
        root = Chains.issue("Example Root CA", null, true);
        intermediate = Chains.issue("Example Intermediate CA", root, true);
        chain = List.of(Chains.issue("mx.example.test", intermediate, false).certificate(), intermediate.certificate());
        anchors = Set.of(new TrustAnchor(root.certificate(), null));
    }

    private static Check check(TlsLevel level, String mxHost, String nextHop, List<Certificate> presented) {
        return new PkixPolicy(anchors, Clock.systemUTC()).verify(level, nextHop, mxHost, presented);
    }

    @Test
    void verify_acceptsATrustedChainNamingTheMxHost_only() {
        assertTrue(check(TlsLevel.VERIFY, "mx.example.test", "example.test", chain).passed());
        Check other = check(TlsLevel.VERIFY, "mx.other.test", "other.test", chain);
        assertFalse(other.passed());
        assertTrue(other.reason().contains("do not match mx.other.test"), other.reason());
    }

    @Test
    void secure_acceptsNamesAtOrBelowTheNextHopDomain_only() {
        assertTrue(check(TlsLevel.SECURE, "mx.example.test", "example.test", chain).passed());
        // An MX record pointing elsewhere cannot make a certificate for that elsewhere acceptable.
        assertFalse(check(TlsLevel.SECURE, "mx.example.test", "bank.test", chain).passed());
    }

    @Test
    void chainFromAnUnknownAuthority_fails() throws Exception {
        Chains.Issued stranger = Chains.issue("mx.example.test", Chains.issue("Other CA", null, true), false);
        Check result = check(TlsLevel.VERIFY, "mx.example.test", "example.test", List.of(stranger.certificate()));
        assertFalse(result.passed());
        assertTrue(result.reason().contains("does not validate"), result.reason());
    }

    @Test
    void expiredLeaf_fails() throws Exception {
        Instant past = Instant.now().minus(Duration.ofDays(400));
        Chains.Issued expired = Chains.issue("mx.example.test", intermediate, false, past, past.plus(Duration.ofDays(90)));
        Check result = check(TlsLevel.VERIFY, "mx.example.test", "example.test",
                List.of(expired.certificate(), intermediate.certificate()));
        assertFalse(result.passed());
        assertEquals(Rfc8460ResultType.CERTIFICATE_EXPIRED, result.failure().resultType());
    }

    @Test
    void failures_areTyped_forTlsRpt() throws Exception {
        Check mismatch = check(TlsLevel.VERIFY, "mx.other.test", "other.test", chain);
        assertEquals(Rfc8460ResultType.CERTIFICATE_HOST_MISMATCH, mismatch.failure().resultType());
        assertEquals("pkix", mismatch.failure().policy());
        assertEquals("4.7.5", mismatch.failure().enhancedCode());
        assertTrue(mismatch.failure().temporary());
        Chains.Issued stranger = Chains.issue("mx.example.test", Chains.issue("Other CA", null, true), false);
        assertEquals(Rfc8460ResultType.CERTIFICATE_NOT_TRUSTED, check(TlsLevel.VERIFY, "mx.example.test", "example.test",
                List.of(stranger.certificate())).failure().resultType());
    }
}
