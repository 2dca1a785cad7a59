package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.DkimFixtures;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.transport.tlsrpt.AppliedPolicy;
import org.sealpost.transport.tlsrpt.FailureDetail;
import org.sealpost.transport.tlsrpt.ResultType;
import org.sealpost.transport.tlsrpt.TlsReporting;

/**
 * sealpost tlsrpt flush (stopped spool) -> queue -> sealpost run -> smtp-sink; dkimpy verifies
 *
 * <p>Yesterday's counts become one report for example.net, whose {@code _smtp._tls} record asks
 * for mail: the command queues it on the stopped relay's spool, the relay delivers it when it
 * starts, and the message that arrives is read as RFC 8460 5.3 says (multipart/report, the gzipped
 * JSON checked field by field against section 4) and its DKIM signature verified by dkimpy. With
 * the relay running, the relay answers the command, and has counted nothing: not the report's delivery.
 */
class TlsRptMailedReportTest {

    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void report_queuedOnTheStoppedSpool_arrivesSignedAndAsRfc8460Says() throws Exception {
        Peers.require("python3-dkim", "/usr/bin/dkimverify");
        GeneratedKey key = DkimKeys.generate(KeyType.RSA, 2048);
        Path keyFile = Files.writeString(dir.resolve("rsa.pem"), key.privateKeyPem());
        Path zone = Files.writeString(dir.resolve("tlsrpt.zone"),
                "_smtp._tls.example.net. 300 IN TXT \"v=TLSRPTv1; rua=mailto:reports@example.net\"\n");
        Path queue = dir.resolve("sealpost/queue");

        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            Map<String, String> settings = SealpostProcess.submissionRelay("relay.interop.test", queue,
                    Loopback.freePort("127.0.0.1"));
            settings.put("route.example.net", "[127.0.0.1]:" + sink.port);
            settings.put("dkim_key.example.org", "rsa:" + keyFile);
            settings.put("tlsrpt_from", "tlsrpt@example.org");
            settings.put("tlsrpt_organization", "Example Org");
            settings.put("tlsrpt_contact", "tlsrpt-ops@example.org");
            SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), settings);

            // What deliveries counted yesterday.
            Instant yesterday = Instant.now().minus(Duration.ofDays(1));
            AppliedPolicy sts = AppliedPolicy.mtaSts("example.net", List.of("version: STSv1", "mode: testing",
                    "mx: mx.example.net", "max_age: 86400"), List.of("mx.example.net"));
            try (TlsReporting reporting = TlsReporting.open(queue, Clock.fixed(yesterday, ZoneOffset.UTC))) {
                for (int i = 0; i < 7; i++) {
                    reporting.success(sts);
                }
                reporting.failure(sts, FailureDetail.of(ResultType.CERTIFICATE_NOT_TRUSTED, "127.0.0.1",
                        "mx.example.net", "192.0.2.25", "unable to find valid certification path"));
                reporting.failure(sts, FailureDetail.of(ResultType.CERTIFICATE_NOT_TRUSTED, "127.0.0.1",
                        "mx.example.net", "192.0.2.25", "unable to find valid certification path"));
            }

            ShortProcess.Result flushed = SealpostCli.run(dir, new byte[0], "tlsrpt", "flush", "--config=" + sealpost.config(),
                    "--dns-zone=" + zone);
            assertEquals(0, flushed.status(), flushed.describe());
            assertTrue(flushed.out().contains("sent to mailto:reports@example.net"), flushed.describe());

            try (sealpost) {
                sealpost.start();
                byte[] message = DkimFixtures.toCrlf(withoutSinkLines(whole(sink, "TLS-Report-Domain: example.net"))
                        .getBytes(StandardCharsets.ISO_8859_1));
                JsonNode report = assertReportMail(message);
                assertReport(report, LocalDate.ofInstant(yesterday, ZoneOffset.UTC));
                ShortProcess.Result verified = dkimpyVerify(message, key.txtRecord());
                assertEquals("True", verified.out().strip(), verified.describe());
                ShortProcess.Result tampered = dkimpyVerify(DkimFixtures.appendToBody(message), key.txtRecord());
                assertEquals("False", tampered.out().strip(), tampered.describe());

                // The running relay answers the command itself; the delivery of the report was not counted.
                sealpost.awaitLine("to=<reports@example\\.net>.*status=sent", Duration.ofSeconds(30));
                ShortProcess.Result running = SealpostCli.run(dir, new byte[0], "tlsrpt", "flush", "--config=" + sealpost.config(),
                        "--dns-zone=" + zone);
                assertEquals(0, running.status(), running.describe());
                assertEquals("tlsrpt: nothing to report", running.out().strip(), running.describe());
                assertTrue(running.stderr().contains("--dns-zone applies to a stopped relay only"), running.describe());
            }
        }
    }

    /** RFC 8460 5.3: the fields, the multipart/report and the gzip part; returns the parsed JSON. */
    private static JsonNode assertReportMail(byte[] message) throws Exception {
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message));
        assertEquals("<tlsrpt@example.org>", mail.getHeader("From", ","));
        assertEquals("example.net", mail.getHeader("TLS-Report-Domain", ","));
        assertEquals("example.org", mail.getHeader("TLS-Report-Submitter", ","));
        assertEquals("No", mail.getHeader("TLS-Required", ","));
        assertTrue(mail.getSubject().matches("Report Domain: example\\.net Submitter: example\\.org Report-ID: <[^>]+>"),
                mail.getSubject());
        ContentType type = new ContentType(mail.getContentType());
        assertEquals("multipart/report", type.getBaseType());
        assertEquals("tlsrpt", type.getParameter("report-type"));
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertEquals(2, parts.getCount());
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
        Part gz = parts.getBodyPart(1);
        assertTrue(gz.isMimeType("application/tlsrpt+gzip"), gz.getContentType());
        assertEquals(Part.ATTACHMENT, gz.getDisposition());
        assertTrue(gz.getFileName().matches("example\\.org!example\\.net!\\d+!\\d+\\.json\\.gz"), gz.getFileName());
        try (GZIPInputStream in = new GZIPInputStream(gz.getInputStream())) {
            JsonNode json = new ObjectMapper().readTree(in.readAllBytes());
            assertTrue(mail.getSubject().endsWith("Report-ID: <" + json.get("report-id").textValue() + ">"));
            return json;
        }
    }

    /** RFC 8460 4.4, field by field. */
    private static void assertReport(JsonNode json, LocalDate day) {
        assertEquals("Example Org", json.get("organization-name").textValue());
        assertEquals(day + "T00:00:00Z", json.get("date-range").get("start-datetime").textValue());
        assertEquals(day + "T23:59:59Z", json.get("date-range").get("end-datetime").textValue());
        assertEquals("tlsrpt-ops@example.org", json.get("contact-info").textValue());
        assertTrue(json.get("report-id").textValue().endsWith("@example.org"));
        assertEquals(1, json.get("policies").size());
        JsonNode policy = json.get("policies").get(0);
        assertEquals("sts", policy.get("policy").get("policy-type").textValue());
        assertEquals("[\"version: STSv1\",\"mode: testing\",\"mx: mx.example.net\",\"max_age: 86400\"]",
                policy.get("policy").get("policy-string").toString());
        assertEquals("example.net", policy.get("policy").get("policy-domain").textValue());
        assertEquals("[\"mx.example.net\"]", policy.get("policy").get("mx-host").toString());
        assertEquals(7, policy.get("summary").get("total-successful-session-count").longValue());
        assertEquals(2, policy.get("summary").get("total-failure-session-count").longValue());
        assertEquals(1, policy.get("failure-details").size());
        JsonNode failure = policy.get("failure-details").get(0);
        assertEquals("certificate-not-trusted", failure.get("result-type").textValue());
        assertEquals("127.0.0.1", failure.get("sending-mta-ip").textValue());
        assertEquals("mx.example.net", failure.get("receiving-mx-hostname").textValue());
        assertEquals("192.0.2.25", failure.get("receiving-ip").textValue());
        assertEquals(2, failure.get("failed-session-count").longValue());
        assertEquals("unable to find valid certification path", failure.get("failure-reason-code").textValue());
    }

    /** dkimpy's verify (the Debian python3-dkim, as dkimverify runs it) with the record handed in as its dnsfunc. */
    private ShortProcess.Result dkimpyVerify(byte[] message, String record) throws Exception {
        String script = "import sys, dkim\n"
                + "record = sys.argv[1].encode()\n"
                + "def txt(name, timeout=5):\n"
                + "    return record if name.rstrip(b'.') == b's1._domainkey.example.org' or "
                + "name.rstrip(b'.') == b'rsa._domainkey.example.org' else None\n"
                + "print(dkim.verify(sys.stdin.buffer.read(), dnsfunc=txt))\n";
        return ShortProcess.run(List.of("/usr/bin/python3", "-c", script, record), Map.of(), message, dir, PEER_TIMEOUT);
    }

    /** The message with {@code token} once smtp-sink has written all of it. */
    private static String whole(SmtpSink sink, String token) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        String message = sink.awaitMessage(token, Duration.ofSeconds(60));
        java.util.regex.Matcher boundary = java.util.regex.Pattern.compile("boundary=\"([^\"]+)\"").matcher(message);
        assertTrue(boundary.find(), message);
        while (!message.contains("--" + boundary.group(1) + "--") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            message = sink.awaitMessage(token, Duration.ofSeconds(1));
        }
        return message;
    }

    /** smtp-sink puts the envelope before the message as X-Client-*, X-Helo-Args, X-Mail-Args, X-Rcpt-Args lines. */
    private static String withoutSinkLines(String dump) {
        return dump.replaceAll("(?m)\\A(?:X-(?:Client-[A-Za-z]+|Helo-Args|Mail-Args|Rcpt-Args): [^\n]*\n)+", "");
    }
}
