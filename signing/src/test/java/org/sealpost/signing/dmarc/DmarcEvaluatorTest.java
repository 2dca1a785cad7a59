package org.sealpost.signing.dmarc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sealpost.dnssec.Outcome;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.Verdict;

/** DMARC evaluation (RFC 9989 5.3) over an in-memory zone, with DKIM and SPF results given. */
class DmarcEvaluatorTest {

    private final FakeZone zone = new FakeZone()
            .dmarc("example.com", "v=DMARC1; p=reject; sp=quarantine; np=reject")
            .dmarc("strict.example", "v=DMARC1; p=reject; adkim=s; aspf=s")
            .dmarc("testing.example", "v=DMARC1; p=reject; t=y")
            .dmarc("none.example", "v=DMARC1; p=none")
            .dmarc("broken.example", "v=DMARC1; p=block")
            .host("example.com").host("mail.example.com").host("strict.example").host("testing.example");

    static DkimResult dkim(String domain, Verdict verdict) {
        return new DkimResult(verdict, verdict == Verdict.PASS ? "" : "test", domain, "sel", "rsa-sha256", "@" + domain,
                "abcdefgh", Optional.empty(), false, false);
    }

    private DmarcEvaluation evaluate(String from, List<DkimResult> dkim, SpfCheck spf) {
        DmarcVerdict verdict = new DmarcEvaluator(zone).evaluate(List.of(from), dkim, spf).join();
        assertEquals(1, verdict.evaluations().size());
        return verdict.applied();
    }

    @Test
    void alignedDkim_passes() {
        DmarcEvaluation e = evaluate("example.com", List.of(dkim("example.com", Verdict.PASS)), SpfCheck.none());
        assertEquals(DmarcResult.PASS, e.result());
        assertEquals(Optional.of(Policy.REJECT), e.policy());
        assertEquals(Policy.NONE, e.disposition());
        assertEquals("dmarc=pass (p=reject dis=none) header.from=example.com", e.toAuthenticationResults());
    }

    @Test
    void relaxedDkim_fromASubdomainOfTheSameOrganizationalDomain_passes() {
        DmarcEvaluation e = evaluate("example.com", List.of(dkim("mail.example.com", Verdict.PASS)), SpfCheck.none());
        assertEquals(DmarcResult.PASS, e.result(), e.reason());
    }

    @Test
    void alignedSpf_passes() {
        DmarcEvaluation e = evaluate("example.com", List.of(),
                new SpfCheck(SpfCheck.Result.PASS, "bounces.example.com"));
        assertEquals(DmarcResult.PASS, e.result(), e.reason());
        assertTrue(e.reason().startsWith("SPF bounces.example.com"), e.reason());
    }

    @Test
    void unalignedDkimAndSpf_failUnderTheRecordsPolicy() {
        DmarcEvaluation e = evaluate("example.com", List.of(dkim("example.net", Verdict.PASS)),
                new SpfCheck(SpfCheck.Result.PASS, "mailer.example.org"));
        assertEquals(DmarcResult.FAIL, e.result());
        assertEquals(Policy.REJECT, e.disposition());
        assertTrue(e.reason().contains("DKIM example.net") && e.reason().contains("SPF mailer.example.org"), e.reason());
        assertEquals("dmarc=fail (p=reject dis=reject) header.from=example.com", e.toAuthenticationResults());
    }

    @Test
    void failingSignatureOfTheAuthorDomain_doesNotCount() {
        DmarcEvaluation e = evaluate("example.com", List.of(dkim("example.com", Verdict.FAIL)),
                new SpfCheck(SpfCheck.Result.SOFTFAIL, "example.com"));
        assertEquals(DmarcResult.FAIL, e.result());
        assertEquals("no DKIM or SPF pass to align with example.com", e.reason());
    }

    @Test
    void strictAlignment_refusesASubdomain_butTakesTheSameName() {
        assertEquals(DmarcResult.FAIL, evaluate("strict.example", List.of(dkim("mail.strict.example", Verdict.PASS)),
                new SpfCheck(SpfCheck.Result.PASS, "bounce.strict.example")).result());
        assertEquals(DmarcResult.PASS, evaluate("strict.example", List.of(dkim("STRICT.example", Verdict.PASS)),
                SpfCheck.none()).result());
    }

    @Test
    void existingSubdomain_getsSp() {
        DmarcEvaluation e = evaluate("mail.example.com", List.of(), SpfCheck.none());
        assertEquals(DmarcResult.FAIL, e.result());
        assertEquals(Optional.of(Policy.QUARANTINE), e.policy());
        assertEquals("example.com", e.policyDomain());
    }

    @Test
    void nonExistentSubdomain_getsNp() {
        DmarcEvaluation e = evaluate("ghost.example.com", List.of(), SpfCheck.none());
        assertEquals(Optional.of(Policy.REJECT), e.policy());
        assertEquals(Policy.REJECT, e.disposition());
        assertTrue(zone.asked.containsAll(List.of("A ghost.example.com", "MX ghost.example.com")), zone.asked.toString());
    }

    @Test
    void subdomainWhoseExistenceCannotBeLookedUp_isATemperror_whenNpAndSpDiffer() {
        zone.fail("ghost.example.com", Outcome.SERVFAIL);
        DmarcEvaluation e = evaluate("ghost.example.com", List.of(), SpfCheck.none());
        assertEquals(DmarcResult.TEMPERROR, e.result());
    }

    @Test
    void testingMode_appliesOneLevelLower() {
        DmarcEvaluation e = evaluate("testing.example", List.of(), SpfCheck.none());
        assertEquals(DmarcResult.FAIL, e.result());
        assertEquals(Optional.of(Policy.REJECT), e.policy());
        assertEquals(Policy.QUARANTINE, e.disposition());
        assertTrue(e.testing());
    }

    @Test
    void noRecord_isNone() {
        DmarcEvaluation e = evaluate("example.org", List.of(), SpfCheck.none());
        assertEquals(DmarcResult.NONE, e.result());
        assertEquals("dmarc=none header.from=example.org", e.toAuthenticationResults());
    }

    @Test
    void recordWithoutValidPolicyOrReportingAddress_isAPermerror() {
        assertEquals(DmarcResult.PERMERROR, evaluate("broken.example", List.of(), SpfCheck.none()).result());
    }

    @Test
    void failureAboveTheAuthorDomainsOwnRecord_doesNotHoldAnIdenticalPass() {
        // RFC 9989 4.10.1: the Author Domain's own record is its policy; a lookup failing above it
        // leaves only the Organizational Domain open, which an identical d= does not need.
        zone.fail("_dmarc.com", Outcome.SERVFAIL);
        DmarcEvaluation pass = evaluate("example.com", List.of(dkim("example.com", Verdict.PASS)), SpfCheck.none());
        assertEquals(DmarcResult.PASS, pass.result(), pass.reason());
        assertEquals(Optional.of(Policy.REJECT), pass.policy());
        DmarcEvaluation fail = evaluate("example.com", List.of(dkim("other.example", Verdict.PASS)), SpfCheck.none());
        assertEquals(DmarcResult.FAIL, fail.result(), fail.reason());
        assertEquals(Policy.REJECT, fail.disposition());
    }

    @Test
    void failureAboveTheAuthorDomainsOwnRecord_leavesARelaxedMatchUndecided() {
        zone.fail("_dmarc.com", Outcome.SERVFAIL);
        DmarcEvaluation e = evaluate("example.com", List.of(dkim("mail.example.com", Verdict.PASS)), SpfCheck.none());
        assertEquals(DmarcResult.TEMPERROR, e.result(), e.reason());
        assertEquals(Optional.of(Policy.REJECT), e.policy());
    }

    @Test
    void servfailOnThePolicy_isATemperrorWithNoKnownPolicy() {
        zone.fail("_dmarc.down.example", Outcome.SERVFAIL);
        DmarcEvaluation e = evaluate("down.example", List.of(dkim("down.example", Verdict.PASS)), SpfCheck.none());
        assertEquals(DmarcResult.TEMPERROR, e.result());
        assertTrue(e.policy().isEmpty());
    }

    @Test
    void alignedDkimTemperror_withoutAnotherPass_isATemperror() {
        DmarcEvaluation e = evaluate("example.com", List.of(dkim("example.com", Verdict.TEMPERROR)), SpfCheck.none());
        assertEquals(DmarcResult.TEMPERROR, e.result());
        assertEquals(Optional.of(Policy.REJECT), e.policy());
        assertEquals(DmarcResult.PASS, evaluate("example.com", List.of(dkim("example.com", Verdict.TEMPERROR)),
                new SpfCheck(SpfCheck.Result.PASS, "example.com")).result());
    }

    @Test
    void unalignedSpfTemperror_doesNotHoldTheResult() {
        DmarcEvaluation e = evaluate("example.com", List.of(), new SpfCheck(SpfCheck.Result.TEMPERROR, "example.net"));
        assertEquals(DmarcResult.FAIL, e.result());
    }

    @Test
    void severalAuthorDomains_theStrictestApplies() {
        DmarcVerdict verdict = new DmarcEvaluator(zone).evaluate(List.of("none.example", "example.com", "testing.example"),
                List.of(dkim("none.example", Verdict.PASS)), SpfCheck.none()).join();
        assertEquals(3, verdict.evaluations().size());
        assertEquals(DmarcResult.PASS, verdict.evaluations().get(0).result());
        assertEquals("example.com", verdict.applied().authorDomain());
        assertEquals(Policy.REJECT, verdict.applied().disposition());
        assertTrue(verdict.complete());
    }

    @Test
    void repeatedAuthorDomain_isEvaluatedOnce() {
        DmarcVerdict verdict = new DmarcEvaluator(zone).evaluate(List.of("example.com", "EXAMPLE.com."), List.of(),
                SpfCheck.none()).join();
        assertEquals(1, verdict.evaluations().size());
    }

    @Test
    void noAuthorDomain_isTheCallersToRefuse() {
        assertThrows(IllegalArgumentException.class,
                () -> new DmarcEvaluator(zone).evaluate(List.of(), List.of(), SpfCheck.none()));
    }

    @Test
    void moreAuthorDomainsThanTheLimit_leaveTheVerdictIncomplete() {
        List<String> many = java.util.stream.IntStream.range(0, DmarcEvaluator.MAX_AUTHOR_DOMAINS + 2)
                .mapToObj(i -> "d" + i + ".example").toList();
        DmarcVerdict verdict = new DmarcEvaluator(zone).evaluate(many, List.of(), SpfCheck.none()).join();
        assertEquals(DmarcEvaluator.MAX_AUTHOR_DOMAINS, verdict.evaluations().size());
        assertFalse(verdict.complete());
    }

    @Test
    void invalidAuthorDomain_isAPermerror() {
        assertEquals(DmarcResult.PERMERROR, evaluate("not..valid", List.of(), SpfCheck.none()).result());
    }
}
