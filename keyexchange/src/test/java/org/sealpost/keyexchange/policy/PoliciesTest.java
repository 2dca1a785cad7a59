package org.sealpost.keyexchange.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one ordered list: precedence by order, raise but never lower, the first failed check refuses. */
class PoliciesTest {

    private static final Hop HOP = new Hop("example.net", "mx.example.net", 25, true);

    /** A policy of the given place in the order that sets a level and answers every check with {@code check}. */
    private static DeliveryPolicy policy(String name, TlsLevel level, Check check, AtomicInteger asked) {
        return TestPolicy.deciding(name, level).checking(check).countingIn(asked);
    }

    private static final PeerSession TLS_PEER = TestPeer.tls(HOP.host(), List.of());

    @Test
    void theOrder_isTheDocumentedOne_andTheListKeepsIt() {
        assertEquals(List.of("static", "default", "dane", "mta-sts", "xkeys", "pkix"), Policies.ORDER);
        AtomicInteger asked = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> new Policies(List.of(
                policy("xkeys", TlsLevel.MAY, Check.unauthenticated(), asked), policy("dane", TlsLevel.MAY, Check.unauthenticated(), asked))));
        assertThrows(IllegalArgumentException.class, () -> new Policies(List.of(
                policy("unknown", TlsLevel.MAY, Check.unauthenticated(), asked))));
    }

    @Test
    void aStaticLevel_comesBeforeTheDefault_andIsFixed() {
        Policies policies = new Policies(List.of(new StaticPolicy(Map.of("example.net", TlsLevel.ENCRYPT)),
                new DefaultLevel(TlsLevel.MAY)));
        Decision decision = policies.beforeConnect(HOP).join().decision();
        assertEquals(TlsLevel.ENCRYPT, decision.level());
        assertEquals("static", decision.decidedBy());
        assertTrue(decision.fixed());
        Decision other = policies.beforeConnect(new Hop("example.org", "mx.example.org", 25, true)).join().decision();
        assertEquals(new Decision(TlsLevel.MAY, "default", "none", false, ""), other);
    }

    @Test
    void aLaterPolicy_mayRaise_butNeverLower() {
        AtomicInteger asked = new AtomicInteger();
        Policies raising = new Policies(List.of(new DefaultLevel(TlsLevel.MAY),
                policy("xkeys", TlsLevel.ENCRYPT, Check.unauthenticated(), asked)));
        assertEquals(TlsLevel.ENCRYPT, raising.beforeConnect(HOP).join().level());
        Policies lowering = new Policies(List.of(new DefaultLevel(TlsLevel.ENCRYPT),
                policy("xkeys", TlsLevel.MAY, Check.unauthenticated(), asked)));
        CompletionException thrown = assertThrows(CompletionException.class, () -> lowering.beforeConnect(HOP).join());
        assertTrue(thrown.getCause().getMessage().contains("xkeys lowered"), thrown.getCause().getMessage());
    }

    @Test
    void aFailedCheck_refusesTheHost_andNoLaterPolicyOverridesIt() {
        AtomicInteger later = new AtomicInteger();
        Failure tlsa = Failure.temporary("4.7.5", "dane", Rfc8460ResultType.TLSA_INVALID, "no TLSA record matches");
        Policies policies = new Policies(List.of(new DefaultLevel(TlsLevel.DANE),
                policy("dane", TlsLevel.DANE_ONLY, Check.fail("dane", tlsa), new AtomicInteger()),
                policy("mta-sts", TlsLevel.DANE_ONLY, Check.pass("mta-sts"), later)));
        Check check = policies.beforeConnect(HOP).join().afterHandshake(TLS_PEER).join();
        assertFalse(check.passed());
        assertEquals(tlsa, check.failure());
        assertEquals("tlsa-invalid", check.failure().resultType().wireName());
        assertEquals(0, later.get(), "a later policy is not asked once an earlier check failed");
    }

    @Test
    void theMethod_isTheFirstPolicysThatVerifiedThePeer() {
        AtomicInteger asked = new AtomicInteger();
        Policies policies = new Policies(List.of(new DefaultLevel(TlsLevel.MAY),
                policy("dane", TlsLevel.MAY, Check.unauthenticated(), asked),
                policy("xkeys", TlsLevel.ENCRYPT, Check.pass("xkeys"), asked),
                policy("pkix", TlsLevel.ENCRYPT, Check.pass("verify"), asked)));
        assertEquals("xkeys", policies.beforeConnect(HOP).join().afterHandshake(TLS_PEER).join().method());
        assertEquals(3, asked.get());
    }

    @Test
    void aLevelWhoseCheckIsNotInTheList_isRefused_ratherThanPassedUnchecked() {
        Policies policies = new Policies(List.of(new DefaultLevel(TlsLevel.VERIFY)));
        assertThrows(CompletionException.class, () -> policies.beforeConnect(HOP).join());
    }

    @Test
    void aFailure_isTemporaryWithA4Code_orPermanentWithA5Code() {
        assertThrows(IllegalArgumentException.class,
                () -> Failure.temporary("5.7.30", "requiretls", Rfc8460ResultType.VALIDATION_FAILURE, "x"));
        assertFalse(new Failure(Failure.Kind.PERMANENT, "5.7.30", "requiretls", Rfc8460ResultType.VALIDATION_FAILURE, "x")
                .temporary());
    }

    /** docs/security-levels.md writes the order down in one table; it must be the code's one list. */
    @Test
    void theDocumentedTable_isTheOrderOfTheList() throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "docs", "security-levels.md"));
        int start = lines.indexOf("## The order of the policies");
        assertTrue(start >= 0, "docs/security-levels.md has no section 'The order of the policies'");
        List<String> documented = new java.util.ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            String[] cells = line.split("\\|");
            if (cells.length > 2 && cells[1].trim().matches("[0-9]+")) {
                documented.add(cells[2].trim().replace("`", ""));
            }
        }
        assertEquals(Policies.ORDER, documented);
    }

    @Test
    void aFailureThatIsOnlyReported_passes_andReachesTheConnectionWithTheVerifiedMethod() {
        AtomicInteger asked = new AtomicInteger();
        Failure found = Failure.temporary("4.7.5", "mta-sts", Rfc8460ResultType.CERTIFICATE_HOST_MISMATCH, "testing mode");
        Policies list = new Policies(List.of(
                policy("dane", TlsLevel.MAY, Check.pass("dane"), asked),
                policy("mta-sts", TlsLevel.MAY, Check.passReporting("none", found), asked),
                policy("pkix", TlsLevel.MAY, Check.unauthenticated(), asked)));
        Check check = list.beforeConnect(HOP).join().afterHandshake(TLS_PEER).join();
        assertTrue(check.passed());
        assertEquals("dane", check.method());
        assertEquals(found, check.reportOnly());
        assertEquals(3, asked.get());
    }
}
