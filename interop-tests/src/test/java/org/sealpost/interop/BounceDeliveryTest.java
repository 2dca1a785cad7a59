package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;

/**
 * test -> sealpost A (submission) -> sealpost B (mx) refuses the recipient; A's bounce ->
 * sealpost B (mx for the sender's domain) -> smtp-sink, and -> postfix (smtpd_forbid_bare_newline = yes) -> maildir.
 * <p>
 * The RFC 3464 report must be accepted by both receivers (neither takes bare LF) and parse there:
 * multipart/report, the failed recipient with Action failed and a 5.x.x Status, and the original
 * (a small 8-bit one as headers with RET=HDRS, a 3 MiB one whole with RET=FULL).
 */
class BounceDeliveryTest {

    private static final String TO_SEALPOST = "sealpost-sender.good.test";
    private static final String TO_POSTFIX = "postfix-sender.good.test";
    private static final String NOWHERE = "nowhere.good.test";

    @TempDir
    Path dir;

    @Test
    void bounces_reachASealpostMx_andAStrictPostfix_asRfc3464Reports() throws Exception {
        Path maildirs = dir.resolve("maildirs");
        Map<String, String> strict = new LinkedHashMap<>(PostfixInstance.maildirs(maildirs, Map.of(TO_POSTFIX, "bounces"),
                64L * 1024 * 1024));
        strict.put("smtpd_forbid_bare_newline", "yes"); // and its default reject code, 550
        int mx = Loopback.freePort("127.0.0.2");
        int submission = Loopback.freePort("127.0.0.1");
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1");
                PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "mail.postfix-sender.good.test",
                        "127.0.0.3", strict).start();
                SealpostProcess b = new SealpostProcess(dir.resolve("b"), Map.of(
                        "hostname", "mx.sealpost-sender.good.test",
                        "queue_directory", dir.resolve("b/queue").toString(),
                        "listeners", "mx",
                        "listener.mx.role", "mx",
                        "listener.mx.address", "127.0.0.2:" + mx,
                        "listener.mx.dmarc_policy", "report", // no DNS here knows the sender's domain
                        "local_domains", TO_SEALPOST,
                        "route." + TO_SEALPOST, "[127.0.0.1]:" + sink.port,
                        "dkim_verify", "no",
                        "dnssec", "off")).start();
                SealpostProcess a = new SealpostProcess(dir.resolve("a"), Map.of(
                        "hostname", "relay.src.good.test",
                        "queue_directory", dir.resolve("a/queue").toString(),
                        "listeners", "submission",
                        "listener.submission.role", "submission",
                        "listener.submission.address", "127.0.0.1:" + submission,
                        // The 3 MiB original comes back whole: the limit is raised from its 1 MiB default.
                        "bounce_size_limit", String.valueOf(4 << 20),
                        // B is no MX for this domain: 554 5.7.1, a permanent failure, bounced at once.
                        "route." + NOWHERE, "[127.0.0.2]:" + mx,
                        "route." + TO_SEALPOST, "[127.0.0.2]:" + mx,
                        "route." + TO_POSTFIX, "[127.0.0.3]:" + postfix.port,
                        "dnssec", "off")).start()) {
            List<CorpusMessages.Message> corpus = new CorpusMessages(3464L, "src.good.test").build(2, List.of(3 * 1024 * 1024 + 65_536));
            CorpusMessages.Message small = corpus.get(1); // 8-bit text
            CorpusMessages.Message large = corpus.get(2); // 3 MiB, base64 attachment
            assertTrue(small.eightBit() && large.content().length > 3 * 1024 * 1024, small + ", " + large);
            try (SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
                for (String domain : List.of(TO_SEALPOST, TO_POSTFIX)) {
                    assertTrue(client.transact("alice@" + domain, "BODY=8BITMIME RET=HDRS",
                            List.of("nobody@" + NOWHERE), small.content()).startsWith("250"));
                    assertTrue(client.transact("alice@" + domain, "BODY=8BITMIME RET=FULL",
                            List.of("nobody@" + NOWHERE), large.content()).startsWith("250"));
                }
            }

            // (a) through Sealpost B's mx listener to smtp-sink.
            for (CorpusMessages.Message original : List.of(small, large)) {
                String report = whole(sink, messageId(original));
                assertTrue(report.contains("\nX-Mail-Args: <> "), "the report's envelope sender is not empty:\n" + head(report));
                assertReport(MessageParts.crlf(withoutSinkLines(report).getBytes(StandardCharsets.ISO_8859_1)),
                        original, original == large, "alice@" + TO_SEALPOST);
            }
            assertEquals(0, b.count("reject: .*5\\.5\\.2"), "Sealpost B refused a report:\n" + b.output());

            // (b) through Postfix with smtpd_forbid_bare_newline = yes to a maildir.
            List<Path> reports = PostfixInstance.awaitMaildir(maildirs, "bounces", 2, Duration.ofSeconds(60));
            assertEquals(2, reports.size(), "reports delivered by Postfix; Postfix's log:\n" + postfix.log()
                    + "\nSealpost A:\n" + a.output());
            for (Path file : reports) {
                byte[] report = MessageParts.crlf(Files.readAllBytes(file));
                CorpusMessages.Message original = new String(report, StandardCharsets.ISO_8859_1)
                        .contains(messageId(large)) ? large : small;
                assertEquals("<>", MessageParts.of(report).value("Return-Path"), "the report's envelope sender");
                assertReport(report, original, original == large, "alice@" + TO_POSTFIX);
            }
            assertEquals(4, a.count("sender non-delivery notification"), a.output());
        }
    }

    /** The report with {@code token} once smtp-sink has written all of it (it writes as the content arrives). */
    private static String whole(SmtpSink sink, String token) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        String report = sink.awaitMessage(token, Duration.ofSeconds(60));
        java.util.regex.Matcher boundary = Pattern.compile("boundary=\"([^\"]+)\"").matcher(report);
        assertTrue(boundary.find(), "no MIME boundary in the report:\n" + head(report));
        while (!report.contains("--" + boundary.group(1) + "--") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            report = sink.awaitMessage(token, Duration.ofSeconds(1));
        }
        return report;
    }

    private static String messageId(CorpusMessages.Message message) {
        return MessageParts.of(message.content()).value("Message-ID");
    }

    /** RFC 3464 / RFC 6522 as a receiver's parser sees them. */
    private static void assertReport(byte[] raw, CorpusMessages.Message original, boolean full, String sender)
            throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mail.mime.allowutf8", "true");
        MimeMessage report = new MimeMessage(Session.getInstance(properties), new ByteArrayInputStream(raw));
        String described = "report about " + original + ":\n" + head(new String(raw, StandardCharsets.UTF_8));
        assertTrue(report.isMimeType("multipart/report"), described);
        assertEquals("delivery-status", new ContentType(report.getContentType()).getParameter("report-type"), described);
        assertEquals("auto-replied", report.getHeader("Auto-Submitted", null), described);
        assertEquals("<" + sender + ">", report.getHeader("To", null), described);
        MimeMultipart parts = (MimeMultipart) report.getContent();
        assertEquals(3, parts.getCount(), described);
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"), described);
        assertTrue(parts.getBodyPart(1).isMimeType("message/delivery-status"), described);
        String status = text(parts.getBodyPart(1).getInputStream());
        assertTrue(status.contains("Final-Recipient: rfc822; nobody@" + NOWHERE + "\r\nAction: failed\r\n"), status);
        assertTrue(Pattern.compile("\r\nStatus: 5\\.\\d{1,3}\\.\\d{1,3}\r\n").matcher(status).find(), status);
        assertTrue(status.contains("Diagnostic-Code: smtp; 554 5.7.1"), status);
        MessageParts sent = MessageParts.of(original.content());
        if (full) {
            assertTrue(parts.getBodyPart(2).isMimeType("message/rfc822"), described);
            byte[] returned;
            try (InputStream in = parts.getBodyPart(2).getInputStream()) {
                returned = in.readAllBytes();
            }
            MessageParts back = MessageParts.of(returned);
            assertEquals(sent.value("Subject"), back.value("Subject"), described);
            assertEquals(sent.value("Message-ID"), back.value("Message-ID"), described);
            assertEquals(sent.bodySha256(), back.bodySha256(), "the returned body of " + original);
        } else {
            assertTrue(parts.getBodyPart(2).isMimeType("text/rfc822-headers"), described);
            String headers = text(parts.getBodyPart(2).getInputStream());
            assertTrue(headers.contains("Subject: " + sent.value("Subject")), headers);
            assertTrue(headers.contains("Message-ID: " + sent.value("Message-ID")), headers);
        }
    }

    /** smtp-sink puts the envelope before the message as X-Client-*, X-Helo-Args, X-Mail-Args, X-Rcpt-Args lines. */
    private static String withoutSinkLines(String dump) {
        return dump.replaceAll("(?m)\\A(?:X-(?:Client-[A-Za-z]+|Helo-Args|Mail-Args|Rcpt-Args): [^\n]*\n)+", "");
    }

    private static String text(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String head(String text) {
        return text.substring(0, Math.min(3000, text.length()));
    }
}
