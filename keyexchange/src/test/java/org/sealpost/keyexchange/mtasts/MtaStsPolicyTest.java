package org.sealpost.keyexchange.mtasts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.Certificate;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sealpost.keyexchange.dane.Chains;
import org.sealpost.keyexchange.pkix.PkixPolicy;
import org.sealpost.keyexchange.policy.Check;
import org.sealpost.keyexchange.policy.Decision;
import org.sealpost.keyexchange.policy.DefaultLevel;
import org.sealpost.keyexchange.policy.DeliveryPolicy;
import org.sealpost.keyexchange.policy.Failure;
import org.sealpost.keyexchange.policy.Hop;
import org.sealpost.keyexchange.policy.HostPolicy;
import org.sealpost.keyexchange.policy.PeerSession;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.keyexchange.policy.PolicyFailure;
import org.sealpost.keyexchange.policy.PublishedPolicy;
import org.sealpost.keyexchange.policy.Rfc8460ResultType;
import org.sealpost.keyexchange.policy.StaticPolicy;
import org.sealpost.keyexchange.policy.TestPeer;
import org.sealpost.keyexchange.policy.TestPolicy;
import org.sealpost.keyexchange.policy.TlsLevel;

/** MTA-STS in the one list: enforce raises to verify or refuses, testing reports, DANE and static policies win. */
class MtaStsPolicyTest {

    private static final String DOMAIN = "example.com";
    private static final Hop HOP = new Hop(DOMAIN, "mx1.example.com", 25, false);

    private static Set<TrustAnchor> anchors;
    private static List<Certificate> goodChain;
    private static List<Certificate> otherNameChain;

    private final AtomicInteger asked = new AtomicInteger();

    @BeforeAll
    static void chains() throws Exception {
        Chains.Issued root = Chains.issue("Sealpost Test CA", null, true);
        anchors = Set.of(new TrustAnchor(root.certificate(), null));
        goodChain = List.of(Chains.issue("mx1.example.com", root, false).certificate());
        otherNameChain = List.of(Chains.issue("mail.elsewhere.test", root, false).certificate());
    }

    private static StsResult found(StsMode mode, String... mx) {
        return new StsResult.Found(new StsPolicy("20260601", mode, List.of(mx), 86400, Instant.now()));
    }

    /** The relay's order with a given default level, DANE stood in by {@code dane}, and MTA-STS answering {@code result}. */
    private Policies list(TlsLevel defaultLevel, Map<String, TlsLevel> statics, DeliveryPolicy dane, StsResult result) {
        return list(defaultLevel, statics, dane, result, domain -> true);
    }

    private Policies list(TlsLevel defaultLevel, Map<String, TlsLevel> statics, DeliveryPolicy dane, StsResult result,
            java.util.function.Predicate<String> byMx) {
        PkixPolicy pkix = new PkixPolicy(anchors, Clock.systemUTC());
        MtaStsPolicy sts = new MtaStsPolicy(domain -> {
            asked.incrementAndGet();
            assertEquals(DOMAIN, domain);
            return CompletableFuture.completedFuture(result);
        }, pkix, byMx);
        return new Policies(List.of(new StaticPolicy(statics), new DefaultLevel(defaultLevel), dane, sts, pkix));
    }

    private Policies list(StsResult result) {
        return list(TlsLevel.DANE, Map.of(), noDane(), result);
    }

    /** DANE that finds the MX records unsigned: opportunistic TLS, as DanePolicy decides then. */
    private static DeliveryPolicy noDane() {
        return dane(TlsLevel.MAY, Check.unauthenticated());
    }

    private static DeliveryPolicy dane(TlsLevel level, Check check) {
        return TestPolicy.deciding("dane", level).onlyUnderDane().verifiedAs(level == TlsLevel.DANE_ONLY ? "dane" : "none")
                .because("test").checking(check);
    }

    private static PeerSession peer(boolean tls, List<Certificate> chain) {
        return tls ? TestPeer.tls(HOP.host(), chain) : TestPeer.plaintext(HOP.host());
    }

    private static Failure refusal(Policies policies, Hop hop) {
        CompletionException thrown = assertThrows(CompletionException.class, () -> policies.beforeConnect(hop).join());
        return assertInstanceOf(PolicyFailure.class, thrown.getCause()).failure();
    }

    @Test
    void enforce_matchingHost_raisesToVerify_andThePkixCheckVerifiesTheMxName() {
        HostPolicy host = list(found(StsMode.ENFORCE, "mx1.example.com")).beforeConnect(HOP).join();
        Decision decision = host.decision();
        assertEquals(TlsLevel.VERIFY, decision.level());
        assertEquals("mta-sts", decision.decidedBy());
        assertTrue(decision.level().requiresTls(), "no plaintext under enforce");
        assertEquals(PublishedPolicy.Type.STS, decision.published().type());
        assertEquals(DOMAIN, decision.published().domain());
        assertEquals(List.of("mx1.example.com"), decision.published().mxHosts());
        assertTrue(decision.published().strings().contains("mode: enforce"), decision.published().strings().toString());

        Check good = host.afterHandshake(peer(true, goodChain)).join();
        assertTrue(good.passed(), good.reason());
        assertEquals("mta-sts", good.method());

        Check wrongName = host.afterHandshake(peer(true, otherNameChain)).join();
        assertFalse(wrongName.passed(), "a chain not naming the MX host is refused, never delivered unverified");
        assertEquals(Rfc8460ResultType.CERTIFICATE_HOST_MISMATCH, wrongName.failure().resultType());
        assertTrue(wrongName.failure().temporary());
    }

    @Test
    void enforce_untrustedChain_isRefused() throws Exception {
        Chains.Issued stranger = Chains.issue("mx1.example.com", Chains.issue("Other CA", null, true), false);
        Check check = list(found(StsMode.ENFORCE, "mx1.example.com")).beforeConnect(HOP).join()
                .afterHandshake(peer(true, List.of(stranger.certificate()))).join();
        assertFalse(check.passed());
        assertEquals(Rfc8460ResultType.CERTIFICATE_NOT_TRUSTED, check.failure().resultType());
    }

    @Test
    void enforce_hostNotMatching_isRefusedBeforeConnecting() {
        Failure failure = refusal(list(found(StsMode.ENFORCE, "mx.example.com", "*.mail.example.com")), HOP);
        assertTrue(failure.temporary());
        assertEquals("4.7.5", failure.enhancedCode());
        assertEquals("mta-sts", failure.policy());
        assertEquals(Rfc8460ResultType.VALIDATION_FAILURE, failure.resultType());
        assertTrue(failure.reason().contains("mx1.example.com"), failure.reason());
        assertTrue(failure.reason().contains("MTA-STS policy of example.com"), failure.reason());
        assertTrue(failure.reason().contains("mx.example.com, *.mail.example.com"), failure.reason());
    }

    @Test
    void enforce_wildcard_matchesExactlyOneLeftmostLabel() {
        Policies policies = list(found(StsMode.ENFORCE, "*.mail.example.com"));
        assertEquals(TlsLevel.VERIFY, policies.beforeConnect(new Hop(DOMAIN, "a.mail.example.com", 25, false)).join().level());
        refusal(policies, new Hop(DOMAIN, "b.a.mail.example.com", 25, false));
        refusal(policies, new Hop(DOMAIN, "mail.example.com", 25, false));
    }

    @Test
    void enforce_keepsSecure_whenTheDefaultLevelIsStricter() {
        Decision decision = list(TlsLevel.SECURE, Map.of(), noDane(), found(StsMode.ENFORCE, "mx1.example.com"))
                .beforeConnect(HOP).join().decision();
        assertEquals(TlsLevel.SECURE, decision.level());
        assertEquals(PublishedPolicy.Type.STS, decision.published().type());
    }

    @Test
    void testing_levelUnchanged_andFailuresAreOnlyReported() {
        HostPolicy host = list(found(StsMode.TESTING, "mx1.example.com")).beforeConnect(HOP).join();
        assertEquals(TlsLevel.MAY, host.level());
        assertEquals("dane", host.decidedBy());
        assertEquals(PublishedPolicy.Type.STS, host.decision().published().type());

        Check good = host.afterHandshake(peer(true, goodChain)).join();
        assertTrue(good.passed());
        assertNull(good.reportOnly());

        Check badName = host.afterHandshake(peer(true, otherNameChain)).join();
        assertTrue(badName.passed(), "testing mode delivers");
        assertEquals(Rfc8460ResultType.CERTIFICATE_HOST_MISMATCH, badName.reportOnly().resultType());
        assertEquals("mta-sts", badName.reportOnly().policy());

        Check plaintext = host.afterHandshake(peer(false, List.of())).join();
        assertTrue(plaintext.passed());
        assertEquals(Rfc8460ResultType.STARTTLS_NOT_SUPPORTED, plaintext.reportOnly().resultType());
    }

    @Test
    void testing_mxNotMatching_isDelivered_andReported() {
        HostPolicy host = list(found(StsMode.TESTING, "mx.other.example")).beforeConnect(HOP).join();
        Check check = host.afterHandshake(peer(true, goodChain)).join();
        assertTrue(check.passed());
        assertEquals(Rfc8460ResultType.VALIDATION_FAILURE, check.reportOnly().resultType());
        assertTrue(check.reportOnly().reason().contains("mx.other.example"), check.reportOnly().reason());
    }

    @Test
    void none_isNoPolicy() {
        HostPolicy host = list(found(StsMode.NONE)).beforeConnect(HOP).join();
        assertEquals(TlsLevel.MAY, host.level());
        assertEquals(PublishedPolicy.NONE, host.decision().published());
        assertNull(host.afterHandshake(peer(false, List.of())).join().reportOnly());
    }

    @Test
    void absentWithAFailure_deliversAsWithoutPolicy_andReportsTheFailureType() {
        Map<StsFailure, Rfc8460ResultType> types = Map.of(StsFailure.POLICY_FETCH_ERROR, Rfc8460ResultType.STS_POLICY_FETCH_ERROR,
                StsFailure.POLICY_INVALID, Rfc8460ResultType.STS_POLICY_INVALID,
                StsFailure.WEBPKI_INVALID, Rfc8460ResultType.STS_WEBPKI_INVALID);
        types.forEach((failure, type) -> {
            HostPolicy host = list(new StsResult.Absent(Optional.of(failure), "cannot fetch")).beforeConnect(HOP).join();
            assertEquals(TlsLevel.MAY, host.level());
            assertEquals(PublishedPolicy.sts(DOMAIN, List.of(), List.of()), host.decision().published());
            Check check = host.afterHandshake(peer(true, goodChain)).join();
            assertTrue(check.passed());
            assertEquals(type, check.reportOnly().resultType());
        });
    }

    @Test
    void absentWithoutFailure_changesNothing() {
        HostPolicy host = list(new StsResult.Absent(Optional.empty(), "no TXT record")).beforeConnect(HOP).join();
        assertEquals(TlsLevel.MAY, host.level());
        assertEquals(PublishedPolicy.NONE, host.decision().published());
        assertNull(host.afterHandshake(peer(false, List.of())).join().reportOnly());
    }

    @Test
    void dane_takesPrecedence_andMtaStsNeverOverridesItsFailure() {
        // DANE with usable records decided dane-only; its check fails (TLSA not matching).
        Check daneFails = Check.fail("dane", Failure.temporary("4.7.5", "dane", Rfc8460ResultType.TLSA_INVALID, "no match"));
        HostPolicy host = list(TlsLevel.DANE, Map.of(), dane(TlsLevel.DANE_ONLY, daneFails),
                found(StsMode.ENFORCE, "mx1.example.com")).beforeConnect(HOP).join();
        assertEquals(TlsLevel.DANE_ONLY, host.level());
        assertEquals("dane", host.decidedBy());
        assertEquals(0, asked.get(), "MTA-STS is not even looked up where DANE applies (RFC 8461 2)");
        Check check = host.afterHandshake(peer(true, goodChain)).join();
        assertFalse(check.passed(), "a valid WebPKI chain does not rescue a failing DANE check");
        assertEquals(Rfc8460ResultType.TLSA_INVALID, check.failure().resultType());

        // Only unusable TLSA records (encrypt by DANE): still DANE's, a non-matching MX is not refused.
        assertEquals(TlsLevel.ENCRYPT, list(TlsLevel.DANE, Map.of(), dane(TlsLevel.ENCRYPT, Check.unauthenticated()),
                found(StsMode.ENFORCE, "other.example.com")).beforeConnect(HOP).join().level());
    }

    @Test
    void aFixedStaticPolicy_levelNone_andAnIpLiteral_areLeftAlone() {
        StsResult refusing = found(StsMode.ENFORCE, "other.example.com");
        assertEquals(TlsLevel.MAY, list(TlsLevel.DANE, Map.of(DOMAIN, TlsLevel.MAY), noDane(), refusing)
                .beforeConnect(HOP).join().level());
        assertEquals(TlsLevel.NONE, list(TlsLevel.NONE, Map.of(), noDane(), refusing).beforeConnect(HOP).join().level());
        assertEquals(TlsLevel.MAY, list(refusing).beforeConnect(new Hop(DOMAIN, "192.0.2.7", 25, false)).join().level());
        assertEquals(0, asked.get());
    }

    @Test
    void aRouteOrRelayhostToAnotherHost_isNotHeldToTheDomainsPolicy() {
        // relayhost = [smarthost.example.net]: the enforce policy's mx patterns do not name the smart host.
        HostPolicy host = list(TlsLevel.DANE, Map.of(), noDane(), found(StsMode.ENFORCE, "mx.example.com"), domain -> false)
                .beforeConnect(new Hop(DOMAIN, "smarthost.example.net", 587, true)).join();
        assertEquals(TlsLevel.MAY, host.level());
        assertEquals(0, asked.get());
    }
}
