package org.sealpost.transport.tlsrpt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.sealpost.transport.json.JsonString;

/**
 * One aggregate report of RFC 8460 4: the sessions of one UTC day toward one policy domain, as
 * JSON, written by hand (the schema is small and fixed; field names and order as in 4.4).
 *
 * @param organization organization-name: who sends the report (tlsrpt_organization)
 * @param contact contact-info, or "" to leave it out
 * @param submitter the domain that sends the report (tlsrpt_from's), for the report-id and file name
 * @param day the UTC day reported on
 * @param policyDomain the domain reported to
 * @param reportId report-id, unique per report
 * @param results the counts per policy applied for that domain
 */
record AggregateReport(String organization, String contact, String submitter, LocalDate day, String policyDomain,
        String reportId, Map<AppliedPolicy, Tally> results) {

    /** The start of the range: the day's first second (RFC 3339, UTC). */
    Instant start() {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The end of the range: the day's last second, as RFC 8460 4.4's example gives it. */
    Instant end() {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
    }

    /**
     * RFC 8460 5.3: {@code submitter!policy-domain!begin-timestamp!end-timestamp[!unique-id].json.gz},
     * the timestamps in seconds since the epoch. The unique id is left out: the report-id is in the
     * message.
     */
    String fileName() {
        return submitter + "!" + policyDomain + "!" + start().getEpochSecond() + "!" + end().getEpochSecond() + ".json.gz";
    }

    /** The report as JSON (RFC 8460 4.4). */
    String json() {
        StringBuilder json = new StringBuilder();
        json.append("{\"organization-name\":").append(JsonString.of(organization));
        json.append(",\"date-range\":{\"start-datetime\":").append(JsonString.of(start().toString()))
                .append(",\"end-datetime\":").append(JsonString.of(end().toString())).append('}');
        if (!contact.isEmpty()) {
            json.append(",\"contact-info\":").append(JsonString.of(contact));
        }
        json.append(",\"report-id\":").append(JsonString.of(reportId));
        json.append(",\"policies\":[");
        boolean first = true;
        for (Map.Entry<AppliedPolicy, Tally> entry : results.entrySet()) {
            json.append(first ? "" : ",");
            first = false;
            policy(json, entry.getKey(), entry.getValue());
        }
        return json.append("]}").toString();
    }

    private static void policy(StringBuilder json, AppliedPolicy policy, Tally tally) {
        json.append("{\"policy\":{\"policy-type\":").append(JsonString.of(policy.type().wireName()));
        if (!policy.strings().isEmpty()) {
            json.append(",\"policy-string\":").append(array(policy.strings()));
        }
        json.append(",\"policy-domain\":").append(JsonString.of(policy.domain()));
        if (!policy.mxHosts().isEmpty()) {
            json.append(",\"mx-host\":").append(array(policy.mxHosts()));
        }
        json.append("},\"summary\":{\"total-successful-session-count\":").append(tally.successes)
                .append(",\"total-failure-session-count\":").append(tally.failureCount()).append('}');
        if (!tally.failures.isEmpty()) {
            json.append(",\"failure-details\":[");
            boolean first = true;
            for (Map.Entry<FailureDetail, Long> failure : tally.failures.entrySet()) {
                json.append(first ? "" : ",");
                first = false;
                detail(json, failure.getKey(), failure.getValue());
            }
            json.append(']');
        }
        json.append('}');
    }

    private static void detail(StringBuilder json, FailureDetail detail, long count) {
        json.append("{\"result-type\":").append(JsonString.of(detail.resultType().wireName()));
        optional(json, "sending-mta-ip", detail.sendingMtaIp());
        optional(json, "receiving-mx-hostname", detail.receivingMxHostname());
        optional(json, "receiving-mx-helo", detail.receivingMxHelo());
        optional(json, "receiving-ip", detail.receivingIp());
        json.append(",\"failed-session-count\":").append(count);
        optional(json, "additional-information", detail.additionalInformation());
        optional(json, "failure-reason-code", detail.failureReasonCode());
        json.append('}');
    }

    private static void optional(StringBuilder json, String name, String value) {
        if (!value.isEmpty()) {
            json.append(",\"").append(name).append("\":").append(JsonString.of(value));
        }
    }

    private static String array(List<String> values) {
        return "[" + String.join(",", values.stream().map(JsonString::of).toList()) + "]";
    }


    /** The JSON gzipped: what both delivery methods carry (RFC 8460 5.1). */
    byte[] gzipped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(json().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        }
        return bytes.toByteArray();
    }
}
