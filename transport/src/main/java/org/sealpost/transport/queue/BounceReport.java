package org.sealpost.transport.queue;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * The delivery status notification of RFC 3464 for recipients that failed: a multipart/report
 * (RFC 6522) with a text for people, a message/delivery-status part, and the original message
 * (or only its headers, when RET=HDRS asks so or the message is large).
 */
final class BounceReport {

    /** Larger originals are returned as headers only, to keep bounces small. */
    static final long FULL_RETURN_LIMIT = 1 << 20;

    private BounceReport() {
    }

    /** The report's content, ready to queue with the null sender to {@code message}'s sender. */
    static byte[] build(QueuedMessage message, List<RecipientResult> failed, String hostname) throws IOException {
        Envelope envelope = message.envelope();
        try {
            Session session = Session.getInstance(new Properties());
            MimeMessage report = new MimeMessage(session);
            report.setFrom(new InternetAddress("MAILER-DAEMON@" + hostname, "Mail Delivery System"));
            report.setRecipients(jakarta.mail.Message.RecipientType.TO, envelope.sender());
            report.setSubject("Undelivered Mail Returned to Sender");
            report.setSentDate(new Date());
            report.setHeader("Auto-Submitted", "auto-replied"); // RFC 3834 5: never answered automatically
            report.setHeader("Message-ID", "<" + message.queueId() + ".bounce@" + hostname + ">");

            MimeMultipart parts = new MimeMultipart("report");
            ContentType type = new ContentType(parts.getContentType());
            type.setParameter("report-type", "delivery-status");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(humanText(failed, hostname), "UTF-8");
            parts.addBodyPart(text);
            MimeBodyPart status = new MimeBodyPart();
            status.setDataHandler(new DataHandler(new ByteArrayDataSource(
                    deliveryStatus(message, failed, hostname).getBytes(StandardCharsets.UTF_8), "message/delivery-status")));
            parts.addBodyPart(status);
            boolean headersOnly = envelope.ret().equalsIgnoreCase("HDRS") || message.size() > FULL_RETURN_LIMIT;
            MimeBodyPart original = new MimeBodyPart();
            original.setDataHandler(new DataHandler(new ByteArrayDataSource(original(message, headersOnly),
                    headersOnly ? "text/rfc822-headers" : "message/rfc822")));
            original.setDescription(headersOnly ? "Undelivered Message Headers" : "Undelivered Message");
            parts.addBodyPart(original);
            report.setContent(parts);
            report.saveChanges();
            report.setHeader("Content-Type", type.toString());
            report.setHeader("Message-ID", "<" + message.queueId() + ".bounce@" + hostname + ">");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            report.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException e) {
            throw new IOException("cannot build the delivery status notification: " + e.getMessage(), e);
        }
    }

    private static String humanText(List<RecipientResult> failed, String hostname) {
        StringBuilder text = new StringBuilder();
        text.append("This is the mail system at host ").append(hostname).append(".\n\n")
                .append("I'm sorry to have to inform you that your message could not\n")
                .append("be delivered to one or more recipients. The reasons are given below.\n\n");
        for (RecipientResult result : failed) {
            text.append("<").append(result.recipient().address()).append(">: ");
            if (!result.remoteMta().isEmpty()) {
                text.append("host ").append(result.remoteMta()).append(" said: ");
            }
            text.append(result.diagnostic()).append("\n");
        }
        return text.toString();
    }

    private static String deliveryStatus(QueuedMessage message, List<RecipientResult> failed, String hostname) {
        Envelope envelope = message.envelope();
        StringBuilder s = new StringBuilder();
        s.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        if (!envelope.envid().isEmpty()) {
            s.append("Original-Envelope-Id: ").append(envelope.envid()).append("\r\n");
        }
        s.append("Arrival-Date: ").append(rfc5322(envelope.arrival().atZone(ZoneOffset.UTC))).append("\r\n");
        for (RecipientResult result : failed) {
            s.append("\r\n");
            if (!result.recipient().orcpt().isEmpty()) {
                s.append("Original-Recipient: ").append(result.recipient().orcpt()).append("\r\n");
            }
            s.append("Final-Recipient: rfc822; ").append(result.recipient().address()).append("\r\n");
            s.append("Action: failed\r\n");
            s.append("Status: ").append(result.enhancedCode()).append("\r\n");
            if (!result.remoteMta().isEmpty()) {
                s.append("Remote-MTA: dns; ").append(result.remoteMta()).append("\r\n");
            }
            if (result.remoteReply()) {
                s.append("Diagnostic-Code: smtp; ").append(result.diagnostic().replaceAll("[\r\n]+", " ")).append("\r\n");
            }
        }
        return s.toString();
    }

    private static byte[] original(QueuedMessage message, boolean headersOnly) throws IOException {
        try (InputStream in = message.openContent()) {
            if (!headersOnly) {
                return in.readAllBytes();
            }
            ByteArrayOutputStream headers = new ByteArrayOutputStream();
            int previous = -1;
            int beforePrevious = -1;
            int c;
            // The header section ends at the first empty line (CRLF CRLF).
            while ((c = in.read()) >= 0) {
                headers.write(c);
                if (c == '\n' && previous == '\r' && beforePrevious == '\n') {
                    break;
                }
                beforePrevious = previous;
                previous = c;
            }
            return headers.toByteArray();
        }
    }

    private static String rfc5322(ZonedDateTime time) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(time);
    }

}
