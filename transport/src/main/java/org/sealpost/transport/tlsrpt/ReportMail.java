package org.sealpost.transport.tlsrpt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.sealpost.signing.dkim.DkimSigner;
import org.sealpost.signing.dkim.SignerOptions;
import org.sealpost.signing.dkim.SigningKey;

/**
 * The mail form of a report (RFC 8460 5.3): a multipart/report with report-type "tlsrpt" (RFC 6522),
 * a text for people, and the gzipped JSON as application/tlsrpt+gzip, DKIM-signed by tlsrpt_from's
 * domain. Written by hand with CRLF line ends, as the queue stores what goes out over SMTP.
 */
final class ReportMail {

    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT);

    /**
     * The fields the signature covers: the defaults and, as RFC 8460 5.3 asks, the two report fields
     * (so that a receiver can trust which domain a report is about and who sent it), and TLS-Required.
     */
    static final List<String> SIGNED = concat(SignerOptions.DEFAULT_HEADERS,
            List.of("TLS-Report-Domain", "TLS-Report-Submitter", "TLS-Required", "Auto-Submitted"));

    private ReportMail() {
    }

    /**
     * The message to {@code to}, signed with {@code keys} (none: unsigned).
     *
     * @param from tlsrpt_from
     * @param hostname for the Message-ID and the boundary
     */
    static byte[] write(AggregateReport report, String from, String to, String hostname, Instant now,
            List<SigningKey> keys) {
        String boundary = "tlsrpt." + now.toEpochMilli() + "." + Integer.toHexString(report.reportId().hashCode())
                + "/" + hostname;
        List<String> lines = new ArrayList<>();
        lines.add("From: <" + from + ">");
        lines.add("To: <" + to + ">");
        // RFC 8460 5.3: this Subject form, so that a person can sort reports without opening them
        lines.add("Subject: Report Domain: " + report.policyDomain() + " Submitter: " + report.submitter()
                + " Report-ID: <" + report.reportId() + ">");
        lines.add("Date: " + RFC5322_DATE.format(now.atOffset(ZoneOffset.UTC)));
        lines.add("Message-ID: <" + report.reportId() + ">");
        lines.add("TLS-Report-Domain: " + report.policyDomain());
        lines.add("TLS-Report-Submitter: " + report.submitter());
        // RFC 8460 5.1 and RFC 8689 5: a report must reach a domain whose TLS is broken, so it asks for no TLS
        lines.add("TLS-Required: No");
        lines.add("Auto-Submitted: auto-generated"); // RFC 3834 5
        lines.add("MIME-Version: 1.0");
        lines.add("Content-Type: multipart/report; report-type=\"tlsrpt\";");
        lines.add("\tboundary=\"" + boundary + "\"");
        lines.add("");
        lines.add("This is a MIME-encapsulated message.");
        lines.add("");
        lines.add("--" + boundary);
        lines.add("Content-Type: text/plain; charset=us-ascii");
        lines.add("Content-Transfer-Encoding: 7bit");
        lines.add("");
        lines.add("This is an aggregate TLS report (RFC 8460) from " + report.organization() + " about the SMTP");
        lines.add("sessions toward " + report.policyDomain() + " from " + report.start() + " to " + report.end() + ".");
        lines.add("The report itself is attached as " + report.fileName() + ".");
        lines.add("");
        lines.add("--" + boundary);
        lines.add("Content-Type: application/tlsrpt+gzip");
        lines.add("Content-Transfer-Encoding: base64");
        lines.add("Content-Disposition: attachment;");
        lines.add("\tfilename=\"" + report.fileName() + "\"");
        lines.add("");
        String encoded = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(report.gzipped());
        lines.addAll(encoded.lines().toList());
        lines.add("");
        lines.add("--" + boundary + "--");
        StringBuilder message = new StringBuilder();
        lines.forEach(line -> message.append(line).append("\r\n"));
        byte[] unsigned = message.toString().getBytes(StandardCharsets.US_ASCII);
        if (keys.isEmpty()) {
            return unsigned;
        }
        String signature = new DkimSigner(keys, SignerOptions.defaults().withHeaders(SIGNED)).sign(unsigned);
        byte[] fields = signature.getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[fields.length + unsigned.length];
        System.arraycopy(fields, 0, signed, 0, fields.length);
        System.arraycopy(unsigned, 0, signed, fields.length, unsigned.length);
        return signed;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
