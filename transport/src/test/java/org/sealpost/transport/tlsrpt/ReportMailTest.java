package org.sealpost.transport.tlsrpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.transport.dkim.StaticTxt;

/** The mail form of RFC 8460 5.3, read back with a MIME parser and verified as DKIM. */
class ReportMailTest {

    /** Parses the message and checks every part RFC 8460 5.3 asks for; returns the gzipped report. */
    static byte[] assertReportMail(byte[] message, AggregateReport report, String from, String to) throws Exception {
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message));
        assertEquals("<" + from + ">", mail.getHeader("From", ","));
        assertEquals("<" + to + ">", mail.getHeader("To", ","));
        assertEquals("Report Domain: " + report.policyDomain() + " Submitter: " + report.submitter() + " Report-ID: <"
                + report.reportId() + ">", mail.getSubject());
        assertEquals(report.policyDomain(), mail.getHeader("TLS-Report-Domain", ","));
        assertEquals(report.submitter(), mail.getHeader("TLS-Report-Submitter", ","));
        assertEquals("No", mail.getHeader("TLS-Required", ","));
        assertTrue(mail.isMimeType("multipart/report"), mail.getContentType());
        assertEquals("tlsrpt", new jakarta.mail.internet.ContentType(mail.getContentType()).getParameter("report-type"));
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertEquals(2, parts.getCount());
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
        Part gz = parts.getBodyPart(1);
        assertTrue(gz.isMimeType("application/tlsrpt+gzip"), gz.getContentType());
        assertEquals(Part.ATTACHMENT, gz.getDisposition());
        assertEquals(report.fileName(), gz.getFileName());
        return gz.getInputStream().readAllBytes();
    }

    @Test
    void mail_isAMultipartReportWithTheGzippedJson_andItsSignatureVerifies() throws Exception {
        GeneratedKey key = DkimKeys.generate(KeyType.ED25519, 0);
        AggregateReport report = AggregateReportTest.report();
        byte[] message = ReportMail.write(report, "tlsrpt@example.org", "reports@example.net", "relay.example.org",
                Instant.parse("2026-12-02T00:10:00Z"), List.of(SigningKey.of("example.org", "s1", key.privateKey())));

        byte[] gzipped = assertReportMail(message, report, "tlsrpt@example.org", "reports@example.net");
        AggregateReportTest.assertReport(AggregateReportTest.parse(gzipped), report.reportId());

        List<DkimResult> results = new DkimVerifier(new StaticTxt(Map.of("s1._domainkey.example.org", key.txtRecord())))
                .verify(message).join();
        assertEquals(1, results.size());
        assertTrue(results.get(0).passed(), results.get(0).toString());
        assertEquals("example.org", results.get(0).domain());
        String signature = new String(message, 0, 2000, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(signature.replaceAll("\\s", "").toLowerCase(java.util.Locale.ROOT)
                .contains("tls-report-domain:tls-report-submitter:tls-required"), signature);
    }

    @Test
    void everyLine_endsCrLf_andStaysShort() {
        byte[] message = ReportMail.write(AggregateReportTest.report(), "tlsrpt@example.org", "r@example.net", "relay",
                Instant.parse("2026-12-02T00:10:00Z"), List.of());
        String text = new String(message, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(text.endsWith("\r\n"));
        for (String line : text.split("\r\n")) {
            assertTrue(line.length() <= 998 && !line.contains("\n") && !line.contains("\r"), line);
        }
    }
}
