package org.sealpost.transport.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.dnssec.Security;
import org.sealpost.signing.arc.ArcResult;
import org.sealpost.signing.arc.ArcSetResult;
import org.sealpost.signing.arc.ArcStatus;
import org.sealpost.signing.arc.TrustedSealers;
import org.sealpost.signing.dmarc.DmarcEvaluation;
import org.sealpost.signing.dmarc.DmarcResult;
import org.sealpost.signing.dmarc.DmarcVerdict;
import org.sealpost.signing.dmarc.Policy;
import org.sealpost.signing.spf.SpfResult;
import org.sealpost.signing.spf.SpfVerdict;

/** The verdict table of docs/verification.md, row by row, under enforce and report. */
class InboundVerdictTest {

    private static Findings findings(DmarcResult result, String policy, String disposition, boolean testing) {
        return findings(result, policy, disposition, testing, Findings.ARC_NONE);
    }

    private static Findings findings(DmarcResult result, String policy, String disposition, boolean testing,
            ArcResult arc) {
        Optional<Policy> p = policy.equals("-") ? Optional.empty() : Optional.of(Policy.valueOf(policy));
        DmarcEvaluation evaluation = new DmarcEvaluation("example.org", result, p, Policy.valueOf(disposition), testing,
                "example.org", "example.org", "the reason", List.of("_dmarc.example.org"));
        return new Findings(new SpfVerdict(SpfResult.NONE, "", ""), "a@example.org", "helo.example", List.of(), false,
                arc, List.of(List.of("a@example.org")), Optional.of(new DmarcVerdict(List.of(evaluation), true)));
    }

    /** A chain of one set sealed by {@code sealer}, whose ARC-Authentication-Results say {@code dmarc}. */
    private static ArcResult chain(ArcStatus status, String sealer, String dmarc) {
        ArcSetResult set = new ArcSetResult(1, sealer, "arc", sealer, "arc", ArcStatus.NONE,
                "mx." + sealer + "; dkim=fail header.d=example.org; dmarc=" + dmarc + " header.from=example.org",
                status, status, Security.SECURE, Security.SECURE);
        return new ArcResult(status, status == ArcStatus.PASS ? "every set verified" : "ARC-Seal i=1: signature did not "
                + "verify", false, 0, List.of(set));
    }

    private static final TrustedSealers LIST = new TrustedSealers(List.of("list.example"));

    @ParameterizedTest(name = "chain {0} sealed by {1}, its AAR dmarc={2}, p={3}: {4}")
    @CsvSource({
        "PASS, list.example,     pass, REJECT,     ACCEPT",
        "PASS, lists.list.example, pass, REJECT,   ACCEPT",
        "PASS, list.example,     pass, QUARANTINE, ACCEPT",
        "PASS, other.example,    pass, REJECT,     REJECT",
        "PASS, list.example,     fail, REJECT,     REJECT",
        "FAIL, list.example,     pass, REJECT,     REJECT",
        "PASS, list.example,     pass, NONE,       ACCEPT",
    })
    void trustedArcSealer_rescuesOnlyAPassingChainThatSawDmarcPass(ArcStatus status, String sealer, String dmarc,
            Policy policy, InboundVerdict.Action expected) {
        Findings found = findings(DmarcResult.FAIL, policy.name(), policy.name(), false, chain(status, sealer, dmarc));
        InboundVerdict verdict = InboundVerdict.decide(found, "mx.example.test", DmarcMode.ENFORCE, LIST);
        assertEquals(expected, verdict.action());
        boolean rescued = expected == InboundVerdict.Action.ACCEPT && policy != Policy.NONE;
        String line = verdict.authenticationResults();
        assertEquals(rescued, line.contains("dmarc=fail (p=" + policy.token() + " dis=none; overridden by trusted ARC "
                + "sealer " + sealer + ") header.from=example.org"), line);
        if (expected == InboundVerdict.Action.REJECT) {
            assertTrue(verdict.reply().startsWith("550 5.7.1 "), verdict.reply());
        } else {
            assertEquals(1, verdict.outcome().additions().prepend().size(), "no quarantine marker");
        }
        assertTrue(line.contains(status == ArcStatus.PASS ? "; arc=pass (i=1 d=" + sealer + ") header.oldest-pass=0; "
                : "; arc=fail (ARC-Seal i=1: signature did not verify); "), line);
        InboundVerdict report = InboundVerdict.decide(found, "mx.example.test", DmarcMode.REPORT, LIST);
        assertEquals(InboundVerdict.Action.ACCEPT, report.action());
        assertEquals(rescued, report.authenticationResults().contains("dmarc_policy=report, overridden by trusted ARC "
                + "sealer " + sealer + ")"), report.authenticationResults());
        assertEquals(rescued || policy == Policy.NONE, report.reportOnly().isEmpty(), report.reportOnly());
        assertTrue(verdict.logText(found.applied()).contains(rescued ? "overridden by trusted ARC sealer" : "dmarc=fail"));
    }

    @ParameterizedTest(name = "chain failed for a DNS reason, sealed by {0}, its AAR dmarc={1}, p={2}: {3}")
    @CsvSource({
        "list.example,  pass, REJECT,     DEFER",
        "list.example,  pass, QUARANTINE, DEFER",
        "list.example,  pass, NONE,       ACCEPT",
        "list.example,  fail, REJECT,     REJECT",
        "other.example, pass, REJECT,     REJECT",
    })
    void temporaryArcFailure_defersOnlyWhenATrustedSealersDmarcPassCouldRescueTheFailure(String sealer, String dmarc,
            Policy policy, InboundVerdict.Action expected) {
        ArcResult permanent = chain(ArcStatus.FAIL, sealer, dmarc);
        ArcResult temporary = new ArcResult(ArcStatus.FAIL, "ARC-Seal i=1: the key lookup failed: SERVFAIL", true, 0,
                permanent.sets());
        Findings found = findings(DmarcResult.FAIL, policy.name(), policy.name(), false, temporary);
        InboundVerdict verdict = InboundVerdict.decide(found, "mx.example.test", DmarcMode.ENFORCE, LIST);
        assertEquals(expected, verdict.action(), verdict.reply());
        if (expected == InboundVerdict.Action.DEFER) {
            assertEquals("451 4.7.0 Error: cannot verify the ARC chain sealed by list.example now (ARC-Seal i=1: the key "
                    + "lookup failed: SERVFAIL); try again later", verdict.reply());
            InboundVerdict report = InboundVerdict.decide(found, "mx.example.test", DmarcMode.REPORT, LIST);
            assertEquals(InboundVerdict.Action.ACCEPT, report.action());
            assertTrue(report.reportOnly().startsWith("defer 451 4.7.0 "), report.reportOnly());
        }
        Findings withoutTrust = findings(DmarcResult.FAIL, policy.name(), policy.name(), false, temporary);
        assertEquals(policy == Policy.REJECT ? InboundVerdict.Action.REJECT : policy == Policy.QUARANTINE
                ? InboundVerdict.Action.QUARANTINE : InboundVerdict.Action.ACCEPT,
                InboundVerdict.decide(withoutTrust, "mx.example.test", DmarcMode.ENFORCE).action(),
                "without trusted sealers a temporary ARC failure changes nothing");
    }

    @org.junit.jupiter.api.Test
    void severalFromDomains_aRescuedFailureLeavesTheOthersToDecide() {
        DmarcEvaluation failed = new DmarcEvaluation("example.org", DmarcResult.FAIL, Optional.of(Policy.REJECT),
                Policy.REJECT, false, "example.org", "example.org", "not aligned", List.of("_dmarc.example.org"));
        DmarcEvaluation unknown = new DmarcEvaluation("other.example", DmarcResult.TEMPERROR, Optional.of(Policy.REJECT),
                Policy.NONE, false, "other.example", "other.example", "SERVFAIL", List.of("_dmarc.other.example"));
        Findings found = new Findings(new SpfVerdict(SpfResult.NONE, "", ""), "a@example.org", "helo.example", List.of(),
                false, chain(ArcStatus.PASS, "list.example", "pass"), List.of(List.of("a@example.org", "b@other.example")),
                Optional.of(new DmarcVerdict(List.of(failed, unknown), true)));
        InboundVerdict verdict = InboundVerdict.decide(found, "mx.example.test", DmarcMode.ENFORCE, LIST);
        assertEquals(InboundVerdict.Action.DEFER, verdict.action(), verdict.reply());
        assertTrue(verdict.reply().startsWith("451 4.7.0 ") && verdict.reply().contains("other.example"), verdict.reply());
        assertTrue(verdict.authenticationResults().contains("overridden by trusted ARC sealer list.example) "
                + "header.from=example.org"), verdict.authenticationResults());
    }

    @ParameterizedTest(name = "without trusted sealers a chain from {0} changes nothing")
    @CsvSource({"list.example"})
    void noTrustedSealers_theChainChangesNothing(String sealer) {
        Findings found = findings(DmarcResult.FAIL, "REJECT", "REJECT", false, chain(ArcStatus.PASS, sealer, "pass"));
        assertEquals(InboundVerdict.Action.REJECT, InboundVerdict.decide(found, "mx.example.test", DmarcMode.ENFORCE)
                .action());
    }

    @ParameterizedTest(name = "{0} p={1} dis={2} t={3}: enforce {4} {5}, report {6}")
    @CsvSource({
        "PASS,      REJECT,     NONE,       false, ACCEPT,     '',          ''",
        "FAIL,      REJECT,     REJECT,     false, REJECT,     '550 5.7.1', reject",
        "FAIL,      REJECT,     QUARANTINE, true,  QUARANTINE, '',          quarantine",
        "FAIL,      QUARANTINE, QUARANTINE, false, QUARANTINE, '',          quarantine",
        "FAIL,      QUARANTINE, NONE,       true,  ACCEPT,     '',          ''",
        "FAIL,      NONE,       NONE,       false, ACCEPT,     '',          ''",
        "TEMPERROR, -,          NONE,       false, DEFER,      '451 4.7.0', defer",
        "TEMPERROR, REJECT,     NONE,       false, DEFER,      '451 4.7.0', defer",
        "TEMPERROR, QUARANTINE, NONE,       false, DEFER,      '451 4.7.0', defer",
        "TEMPERROR, NONE,       NONE,       false, ACCEPT,     '',          ''",
        "PERMERROR, -,          NONE,       false, ACCEPT,     '',          ''",
        "NONE,      -,          NONE,       false, ACCEPT,     '',          ''",
    })
    void table(DmarcResult result, String policy, String disposition, boolean testing, InboundVerdict.Action enforced,
            String code, String wouldHave) {
        Findings found = findings(result, policy, disposition, testing);
        InboundVerdict enforce = InboundVerdict.decide(found, "mx.example.test", DmarcMode.ENFORCE);
        assertEquals(enforced, enforce.action());
        assertTrue(enforce.reply().startsWith(code), enforce.reply());
        assertEquals(enforced == InboundVerdict.Action.QUARANTINE, !enforce.quarantine().isEmpty());
        InboundVerdict report = InboundVerdict.decide(found, "mx.example.test", DmarcMode.REPORT);
        assertEquals(InboundVerdict.Action.ACCEPT, report.action(), "report refuses nothing");
        assertTrue(report.reportOnly().startsWith(wouldHave), report.reportOnly());
        assertEquals(1, report.outcome().additions().prepend().size(), "report marks nothing");
        assertTrue(report.authenticationResults().contains("dmarc_policy=report"), report.authenticationResults());
    }

    @ParameterizedTest(name = "{0} From fields")
    @CsvSource({"0", "2"})
    void notExactlyOneFromField_isRefusedUnderEnforce_andReportedUnderReport(int fields) {
        Findings found = new Findings(new SpfVerdict(SpfResult.PASS, "", ""), "a@example.org", "helo.example", List.of(),
                false, Findings.ARC_NONE, java.util.Collections.nCopies(fields, List.of("a@example.org")), Optional.empty());
        InboundVerdict verdict = InboundVerdict.decide(found, "mx.example.test", DmarcMode.ENFORCE);
        assertEquals(InboundVerdict.Action.REJECT, verdict.action());
        assertTrue(verdict.reply().startsWith("550 5.6.0 Error: RFC 5322 3.6 asks for exactly one From field"),
                verdict.reply());
        InboundVerdict report = InboundVerdict.decide(found, "mx.example.test", DmarcMode.REPORT);
        assertEquals(InboundVerdict.Action.ACCEPT, report.action());
        assertTrue(report.reportOnly().startsWith("reject 550 5.6.0 "), report.reportOnly());
    }
}
