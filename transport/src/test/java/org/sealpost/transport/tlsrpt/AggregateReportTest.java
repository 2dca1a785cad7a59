package org.sealpost.transport.tlsrpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The report's JSON, read back with a JSON parser and checked field by field against RFC 8460 4. */
class AggregateReportTest {

    static final AppliedPolicy STS = AppliedPolicy.mtaSts("example.net", List.of("version: STSv1", "mode: enforce",
            "mx: *.mx.example.net", "max_age: 86400"), List.of("*.mx.example.net"));

    static AggregateReport report() {
        Tally tally = new Tally();
        tally.successes = 5326;
        tally.failures.put(new FailureDetail(ResultType.CERTIFICATE_EXPIRED, "2001:db8:abcd:12::1", "mx1.mx.example.net",
                "mx1.mx.example.net", "203.0.113.56", "https://example.org/why", "X509_V_ERR_CERT_HAS_EXPIRED"), 100L);
        tally.failures.put(FailureDetail.of(ResultType.STARTTLS_NOT_SUPPORTED, "2001:db8:abcd:12::1",
                "mx2.mx.example.net", "203.0.113.57", ""), 200L);
        Tally none = new Tally();
        none.successes = 3;
        Map<AppliedPolicy, Tally> results = new LinkedHashMap<>();
        results.put(STS, tally);
        results.put(AppliedPolicy.none("example.net"), none);
        return new AggregateReport("Example \"Sending\" Org", "tlsrpt-ops@example.org", "example.org",
                LocalDate.of(2026, 12, 1), "example.net", "20261201.0a1b2c.example.net@example.org", results);
    }

    static JsonNode parse(byte[] gzipped) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return new ObjectMapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Every field of RFC 8460 4.4 of {@link #report()}, as the parsed JSON must have them. */
    static void assertReport(JsonNode json, String reportId) {
        assertEquals(List.of("organization-name", "date-range", "contact-info", "report-id", "policies"), names(json));
        assertEquals("Example \"Sending\" Org", json.get("organization-name").textValue());
        assertEquals("2026-12-01T00:00:00Z", json.get("date-range").get("start-datetime").textValue());
        assertEquals("2026-12-01T23:59:59Z", json.get("date-range").get("end-datetime").textValue());
        assertEquals(List.of("start-datetime", "end-datetime"), names(json.get("date-range")));
        assertEquals("tlsrpt-ops@example.org", json.get("contact-info").textValue());
        assertEquals(reportId, json.get("report-id").textValue());
        JsonNode policies = json.get("policies");
        assertEquals(2, policies.size());

        JsonNode sts = policies.get(0);
        assertEquals(List.of("policy", "summary", "failure-details"), names(sts));
        assertEquals(List.of("policy-type", "policy-string", "policy-domain", "mx-host"), names(sts.get("policy")));
        assertEquals("sts", sts.get("policy").get("policy-type").textValue());
        assertEquals(List.of("version: STSv1", "mode: enforce", "mx: *.mx.example.net", "max_age: 86400"),
                texts(sts.get("policy").get("policy-string")));
        assertEquals("example.net", sts.get("policy").get("policy-domain").textValue());
        assertEquals(List.of("*.mx.example.net"), texts(sts.get("policy").get("mx-host")));
        assertEquals(5326, sts.get("summary").get("total-successful-session-count").longValue());
        assertEquals(300, sts.get("summary").get("total-failure-session-count").longValue());
        assertTrue(sts.get("summary").get("total-failure-session-count").isIntegralNumber());
        JsonNode expired = sts.get("failure-details").get(0);
        assertEquals(List.of("result-type", "sending-mta-ip", "receiving-mx-hostname", "receiving-mx-helo", "receiving-ip",
                "failed-session-count", "additional-information", "failure-reason-code"), names(expired));
        assertEquals("certificate-expired", expired.get("result-type").textValue());
        assertEquals("2001:db8:abcd:12::1", expired.get("sending-mta-ip").textValue());
        assertEquals("mx1.mx.example.net", expired.get("receiving-mx-hostname").textValue());
        assertEquals("mx1.mx.example.net", expired.get("receiving-mx-helo").textValue());
        assertEquals("203.0.113.56", expired.get("receiving-ip").textValue());
        assertEquals(100, expired.get("failed-session-count").longValue());
        assertEquals("https://example.org/why", expired.get("additional-information").textValue());
        assertEquals("X509_V_ERR_CERT_HAS_EXPIRED", expired.get("failure-reason-code").textValue());
        JsonNode starttls = sts.get("failure-details").get(1);
        assertEquals(List.of("result-type", "sending-mta-ip", "receiving-mx-hostname", "receiving-ip",
                "failed-session-count"), names(starttls));
        assertEquals("starttls-not-supported", starttls.get("result-type").textValue());
        assertEquals(200, starttls.get("failed-session-count").longValue());

        JsonNode none = policies.get(1);
        // no-policy-found has no policy strings and no mx-host; a policy without failures no failure-details
        assertEquals(List.of("policy", "summary"), names(none));
        assertEquals(List.of("policy-type", "policy-domain"), names(none.get("policy")));
        assertEquals("no-policy-found", none.get("policy").get("policy-type").textValue());
        assertEquals(3, none.get("summary").get("total-successful-session-count").longValue());
        assertEquals(0, none.get("summary").get("total-failure-session-count").longValue());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.textValue()));
        return texts;
    }

    @Test
    void json_hasEveryFieldOfRfc8460_withItsValue() throws Exception {
        AggregateReport report = report();
        assertReport(parse(report.gzipped()), "20261201.0a1b2c.example.net@example.org");
    }

    @Test
    void withoutContact_contactInfoIsLeftOut() throws Exception {
        AggregateReport report = report();
        AggregateReport bare = new AggregateReport(report.organization(), "", report.submitter(), report.day(),
                report.policyDomain(), report.reportId(), report.results());
        assertFalse(parse(bare.gzipped()).has("contact-info"));
    }

    @Test
    void fileName_isSubmitterPolicyDomainAndTheRangeInEpochSeconds() {
        // RFC 8460 5.3: submitter!policy-domain!begin-timestamp!end-timestamp.json.gz
        assertEquals("example.org!example.net!1796083200!1796169599.json.gz", report().fileName());
    }
}
