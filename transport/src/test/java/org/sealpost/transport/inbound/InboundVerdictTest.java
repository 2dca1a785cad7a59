package org.sealpost.transport.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.signing.dmarc.DmarcEvaluation;
import org.sealpost.signing.dmarc.DmarcResult;
import org.sealpost.signing.dmarc.DmarcVerdict;
import org.sealpost.signing.dmarc.Policy;
import org.sealpost.signing.spf.SpfResult;
import org.sealpost.signing.spf.SpfVerdict;

/** The verdict table of docs/verification.md, row by row, under enforce and report. */
class InboundVerdictTest {

    private static Findings findings(DmarcResult result, String policy, String disposition, boolean testing) {
        Optional<Policy> p = policy.equals("-") ? Optional.empty() : Optional.of(Policy.valueOf(policy));
        DmarcEvaluation evaluation = new DmarcEvaluation("example.org", result, p, Policy.valueOf(disposition), testing,
                "example.org", "example.org", "the reason", List.of("_dmarc.example.org"));
        return new Findings(new SpfVerdict(SpfResult.NONE, "", ""), "a@example.org", "helo.example", List.of(), false,
                Findings.ARC_NONE, List.of(List.of("a@example.org")), Optional.of(new DmarcVerdict(List.of(evaluation), true)));
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
