package org.sealpost.transport.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BounceReportTest {

    private static final long LIMIT = QueueSettings.DEFAULT_BOUNCE_SIZE_LIMIT;

    private static final String HOST = "relay.example.test";

    private static final String ORIGINAL = "From: Alice <alice@sender.example>\r\n"
            + "To: bob@one.example\r\n"
            + "Subject: the original subject\r\n"
            + "Message-ID: <orig-1@sender.example>\r\n"
            + "\r\n"
            + "first line of the body\r\n"
            + "second line\r\n";

    private record Fake(String queueId, Envelope envelope, byte[] content) implements QueuedMessage {
        @Override
        public long size() {
            return content.length;
        }

        @Override
        public InputStream openContent() {
            return new ByteArrayInputStream(content);
        }
    }

    private static Fake message(String ret, BodyType body, boolean smtputf8, String content) {
        Envelope envelope = new Envelope("alice@sender.example", List.of(
                new Recipient("bob@one.example", Set.of(), "rfc822;bob@one.example"),
                Recipient.of("carol@two.example")), body, smtputf8, ret, "ENV-7",
                new Envelope.ClientInfo("127.0.0.1", "client.example", "ESMTP", "", "", "submission"),
                Instant.parse("2026-11-22T10:00:00Z"));
        return new Fake("4Bx7yq0Z1AA", envelope, content.getBytes(StandardCharsets.UTF_8));
    }

    private static final List<RecipientResult> FAILED = List.of(
            new RecipientResult(Recipient.of("bob@one.example"), DeliveryStatus.BOUNCED, "5.1.1",
                    "550 5.1.1 <bob@one.example>: Recipient address rejected: User unknown", "mx.one.example", true),
            new RecipientResult(Recipient.of("carol@two.example"), DeliveryStatus.BOUNCED, "4.4.1",
                    "connect to mx.two.example[192.0.2.7]:25: Connection refused " + "x".repeat(1500), "", false));

    /** Short diagnostics: nothing that would make a MIME library pick quoted-printable and hide the line ends. */
    private static final List<RecipientResult> FAILED_SHORT = List.of(FAILED.get(0));

    private static byte[] report(Fake message) throws IOException {
        return report(message, FAILED);
    }

    private static byte[] report(Fake message, List<RecipientResult> failed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BounceReport.write(message, failed, HOST, Instant.parse("2026-11-27T10:00:00Z"), LIMIT, out);
        return out.toByteArray();
    }

    private static MimeMessage parse(byte[] report) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mail.mime.allowutf8", "true");
        return new MimeMessage(Session.getInstance(properties), new ByteArrayInputStream(report));
    }

    private static String text(jakarta.mail.Part part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** RFC 5321 2.3.8 and 4.5.3.1.6: CRLF only, no line over 998 octets (what an mx listener checks). */
    private static void assertCrlfLines(byte[] report) {
        int lineStart = 0;
        for (int i = 0; i < report.length; i++) {
            if (report[i] == '\n') {
                assertTrue(i > 0 && report[i - 1] == '\r', "bare LF at octet " + i + " after: "
                        + new String(report, lineStart, i - lineStart, StandardCharsets.UTF_8));
                assertTrue(i - 1 - lineStart <= 998, "line of " + (i - 1 - lineStart) + " octets at " + lineStart);
                lineStart = i + 1;
            } else if (report[i] == '\r') {
                assertTrue(i + 1 < report.length && report[i + 1] == '\n', "bare CR at octet " + i);
            }
        }
        assertEquals(report.length, lineStart, "the report does not end with CRLF");
    }

    @Test
    void everyLine_endsWithCrlf_andStaysUnder998Octets() throws Exception {
        assertCrlfLines(report(message("", BodyType.SEVEN_BIT, false, ORIGINAL), FAILED_SHORT));
        assertCrlfLines(report(message("", BodyType.SEVEN_BIT, false, ORIGINAL)));
        assertCrlfLines(report(message("HDRS", BodyType.SEVEN_BIT, false, ORIGINAL)));
        assertCrlfLines(report(message("FULL", BodyType.EIGHT_BIT_MIME, false, ORIGINAL + "Grüße\r\n")));
    }

    @Test
    void report_parsesAsRfc3464_withTheHumanPartTheStatusAndTheOriginal() throws Exception {
        MimeMessage parsed = parse(report(message("FULL", BodyType.SEVEN_BIT, false, ORIGINAL)));
        assertTrue(parsed.isMimeType("multipart/report"), parsed.getContentType());
        assertTrue(parsed.getContentType().contains("report-type=delivery-status"), parsed.getContentType());
        assertEquals("auto-replied", parsed.getHeader("Auto-Submitted")[0]);
        assertEquals("<4Bx7yq0Z1AA.bounce@relay.example.test>", parsed.getMessageID());
        assertNotNull(parsed.getSentDate(), "no Date field");
        assertEquals("MAILER-DAEMON@relay.example.test", parsed.getFrom()[0].toString().replaceAll(".*<|>.*", ""));
        assertEquals("alice@sender.example", parsed.getRecipients(jakarta.mail.Message.RecipientType.TO)[0].toString());
        assertEquals("1.0", parsed.getHeader("MIME-Version")[0]);

        MimeMultipart parts = (MimeMultipart) parsed.getContent();
        assertEquals(3, parts.getCount());
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"), parts.getBodyPart(0).getContentType());
        String human = text(parts.getBodyPart(0));
        assertTrue(human.contains("<bob@one.example>: host mx.one.example said: 550 5.1.1"), human);
        assertTrue(human.contains("<carol@two.example>: connect to mx.two.example"), human);

        assertTrue(parts.getBodyPart(1).isMimeType("message/delivery-status"), parts.getBodyPart(1).getContentType());
        String status = text(parts.getBodyPart(1));
        assertTrue(status.startsWith("Reporting-MTA: dns; relay.example.test\r\n"), status);
        assertTrue(status.contains("Original-Envelope-Id: ENV-7\r\n"), status);
        assertTrue(status.contains("Arrival-Date: Sun, 22 Nov 2026 10:00:00 +0000\r\n"), status);
        assertTrue(status.contains("\r\n\r\nFinal-Recipient: rfc822; bob@one.example\r\nAction: failed\r\n"
                + "Status: 5.1.1\r\nRemote-MTA: dns; mx.one.example\r\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 <bob@one.example>: Recipient address rejected: User unknown\r\n"),
                status);
        assertTrue(status.contains("\r\n\r\nFinal-Recipient: rfc822; carol@two.example\r\nAction: failed\r\n"
                + "Status: 4.4.1\r\n"), status);

        assertTrue(parts.getBodyPart(2).isMimeType("message/rfc822"), parts.getBodyPart(2).getContentType());
        MimeMessage returned = (MimeMessage) parts.getBodyPart(2).getContent();
        assertEquals("the original subject", returned.getSubject());
        assertEquals("<orig-1@sender.example>", returned.getMessageID());
        assertEquals("first line of the body\r\nsecond line\r\n", text(returned));
    }

    @Test
    void retHdrs_returnsTheHeaderSectionOnly() throws Exception {
        MimeMultipart parts = (MimeMultipart) parse(report(message("HDRS", BodyType.SEVEN_BIT, false, ORIGINAL)))
                .getContent();
        assertTrue(parts.getBodyPart(2).isMimeType("text/rfc822-headers"), parts.getBodyPart(2).getContentType());
        String headers = text(parts.getBodyPart(2));
        assertTrue(headers.contains("Subject: the original subject\r\n"), headers);
        assertTrue(headers.contains("Message-ID: <orig-1@sender.example>\r\n"), headers);
        assertFalse(headers.contains("first line"), headers);
    }

    /** RFC 8689 5: the report may travel without TLS, so a REQUIRETLS original comes back as headers only. */
    @Test
    void requireTlsOriginal_isReturnedAsHeadersOnly_evenWithRetFull() throws Exception {
        Fake full = message("FULL", BodyType.SEVEN_BIT, false, ORIGINAL);
        Envelope e = full.envelope();
        Fake sealed = new Fake(full.queueId(), new Envelope(e.sender(), e.recipients(), e.body(), e.smtputf8(), e.ret(),
                e.envid(), e.client(), e.arrival(), true), full.content());
        MimeMultipart parts = (MimeMultipart) parse(report(sealed)).getContent();
        assertTrue(parts.getBodyPart(2).isMimeType("text/rfc822-headers"), parts.getBodyPart(2).getContentType());
        assertFalse(text(parts.getBodyPart(2)).contains("first line"));
    }

    @Test
    void eightBitOriginal_isDeclared8bit_andReturnedOctetForOctet() throws Exception {
        String content = ORIGINAL + "Grüße aus Köln\r\n";
        byte[] report = report(message("FULL", BodyType.EIGHT_BIT_MIME, false, content));
        MimeMessage parsed = parse(report);
        assertEquals("8bit", parsed.getEncoding(), "8-bit content in a part declared 7bit (RFC 2045 6.4)");
        MimeMultipart parts = (MimeMultipart) parsed.getContent();
        assertEquals("8bit", ((jakarta.mail.internet.MimeBodyPart) parts.getBodyPart(2)).getEncoding());
        try (InputStream in = parts.getBodyPart(2).getInputStream()) {
            assertArrayEquals(content.getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
    }

    @Test
    void sevenBitOriginal_isDeclared7bit() throws Exception {
        assertEquals("7bit", parse(report(message("FULL", BodyType.SEVEN_BIT, false, ORIGINAL))).getEncoding());
    }

    @Test
    void smtputf8Original_usesTheGlobalTypesOfRfc6533() throws Exception {
        String content = "From: Jörg <jörg@bücher.example>\r\nSubject: Grüße\r\n\r\nHallo\r\n";
        MimeMultipart parts = (MimeMultipart) parse(report(message("FULL", BodyType.EIGHT_BIT_MIME, true, content)))
                .getContent();
        assertTrue(parts.getBodyPart(1).isMimeType("message/global-delivery-status"),
                parts.getBodyPart(1).getContentType());
        assertTrue(parts.getBodyPart(2).isMimeType("message/global"), parts.getBodyPart(2).getContentType());
    }

    @Test
    void originalOverTheLimit_isReturnedAsHeaders_withoutRet_andWithRetFull() throws Exception {
        String big = ORIGINAL + ("0123456789".repeat(7) + "\r\n").repeat(20_000);
        MimeMultipart noRet = (MimeMultipart) parse(report(message("", BodyType.SEVEN_BIT, false, big))).getContent();
        assertTrue(noRet.getBodyPart(2).isMimeType("text/rfc822-headers"));
        MimeMultipart full = (MimeMultipart) parse(report(message("FULL", BodyType.SEVEN_BIT, false, big))).getContent();
        assertTrue(full.getBodyPart(2).isMimeType("text/rfc822-headers"), full.getBodyPart(2).getContentType());
    }

    @Test
    void originalUnderTheLimit_isReturnedWhole_withRetFull() throws Exception {
        String fits = ORIGINAL + ("0123456789".repeat(7) + "\r\n").repeat(10_000);
        MimeMultipart full = (MimeMultipart) parse(report(message("FULL", BodyType.SEVEN_BIT, false, fits))).getContent();
        assertTrue(full.getBodyPart(2).isMimeType("message/rfc822"));
        try (InputStream in = full.getBodyPart(2).getInputStream()) {
            assertArrayEquals(fits.getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
    }
}
