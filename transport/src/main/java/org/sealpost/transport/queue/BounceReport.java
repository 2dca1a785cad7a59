package org.sealpost.transport.queue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The delivery status notification of RFC 3464 for recipients that failed: a multipart/report
 * (RFC 6522) with a text for people, a message/delivery-status part, and the original message
 * (or only its header section, when RET=HDRS asks so or a message without RET is large).
 *
 * <p>Written by hand, octet by octet, rather than by a MIME library: the report travels over SMTP,
 * so every line must end CRLF (RFC 5321 2.3.8; receivers refuse bare LF) and stay under 998 octets
 * (RFC 5321 4.5.3.1.6), and the original is streamed into it unchanged, never held in memory.
 */
final class BounceReport {


    /** Where the text for people is broken into lines. */
    private static final int WRAP = 76;

    /**
     * Where a long status field is folded: late, so that programs reading the report see the
     * reply whole, yet well under the 998 octets of RFC 5321 4.5.3.1.6 (a folded field is still
     * one field, RFC 3464 2.1.1 and RFC 5322 2.2.3).
     */
    private static final int FOLD = 500;

    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT);

    /** The reason of a delete with --bounce (docs/queue.md). */
    static final String DELETED = "deleted by the administrator";

    private BounceReport() {
    }

    /** Queues the RFC 3464 report on {@code failed} recipients of {@code message} to its sender; returns its id. */
    static String queue(StoredMessage message, List<RecipientResult> failed, QueueSettings settings, Instant now,
            MessageSink sink) throws IOException {
        Envelope original = message.envelope();
        // The report carries the original (or its headers), so it is 8-bit exactly when the original was.
        // RFC 8689 5: never sent with REQUIRETLS itself, so that it reaches a return path without it.
        Envelope envelope = new Envelope("", List.of(Recipient.of(original.sender())), BounceReport.bodyType(original),
                original.smtputf8(), "", "", new Envelope.ClientInfo("127.0.0.1", settings.hostname(), "local", "", "",
                        Envelope.ClientInfo.REPORTS), now);
        Incoming incoming = sink.receive(envelope);
        try (OutputStream out = BounceReport.into(incoming)) {
            BounceReport.write(message, failed, settings.hostname(), now, settings.bounceSizeLimit(), out);
        } catch (IOException | RuntimeException e) {
            incoming.abort();
            throw e;
        }
        return incoming.commit().join();
    }

    /**
     * The recipients a delete with --bounce reports on: those not yet delivered that asked for
     * failure reports, each with the reason "deleted by the administrator" (5.0.0, RFC 3463 3.1),
     * or the reason of the bounce it already had. None for a message with the null sender.
     */
    static List<RecipientResult> deleted(StoredMessage message, RecipientResult[] results) {
        List<RecipientResult> failed = new ArrayList<>();
        if (message.envelope().sender().isEmpty()) {
            return failed; // RFC 5321 6.1: never a report about a report
        }
        List<Recipient> recipients = message.envelope().recipients();
        for (int i = 0; i < recipients.size(); i++) {
            Recipient recipient = recipients.get(i);
            char state = message.states()[i];
            if (!recipient.wantsFailureReport() || state == QueueFile.DELIVERED) {
                continue;
            }
            if (state == QueueFile.BOUNCED && results != null && results[i] != null) {
                failed.add(results[i]);
            } else {
                String last = message.notes().reasons[i];
                failed.add(new RecipientResult(recipient, DeliveryStatus.BOUNCED, "5.0.0",
                        DELETED + (last.isEmpty() || state == QueueFile.BOUNCED ? "" : "; last attempt: " + last), "", false));
            }
        }
        return failed;
    }

    /**
     * Why no report may be sent about {@code message}, or null when one may. -06 10.1: after a
     * DKIM2 chain did not pass on arrival, no delivery status notification may be made for the
     * message: the sender it names may be forged, and the report would be backscatter. The mx
     * listener recorded the chain's result with the message; no result (mail of other listeners,
     * dkim2_verify = no) and dkim2=none (no chain) do not withhold one. When the chain passed, the
     * newest signature's mf= is exactly the MAIL FROM the message came with, which is where the
     * report goes (-06 12).
     */
    static String withheld(QueuedMessage message) {
        for (String result : message.results()) {
            if (result.startsWith("dkim2=") && !result.startsWith("dkim2=pass") && !result.startsWith("dkim2=none")) {
                int end = result.indexOf(' ');
                return "its DKIM2 chain did not verify on arrival (" + (end < 0 ? result : result.substring(0, end))
                        + "), and draft-ietf-dkim-dkim2-spec-06 10.1 allows no delivery status notification then";
            }
        }
        return null;
    }

    /** An output stream that appends to a message being received (what the report is queued through). */
    static OutputStream into(Incoming incoming) {
        return new BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                incoming.write(ByteBuffer.wrap(new byte[] {(byte) b}));
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                incoming.write(ByteBuffer.wrap(b, off, len));
            }
        }, 64 * 1024);
    }

    /**
     * Whether the report is 8-bit: it carries the original (or its header section) unchanged, so
     * exactly when the original was 8BITMIME (RFC 6152) or SMTPUTF8 (RFC 6531, which implies 8-bit).
     */
    static BodyType bodyType(Envelope original) {
        return original.body() == BodyType.EIGHT_BIT_MIME || original.smtputf8()
                ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT;
    }

    /** Writes the report, to be queued with the null sender to {@code message}'s sender. */
    static void write(QueuedMessage message, List<RecipientResult> failed, String hostname, Instant now,
            long sizeLimit, OutputStream out) throws IOException {
        Envelope envelope = message.envelope();
        boolean eightBit = bodyType(envelope) == BodyType.EIGHT_BIT_MIME;
        // RFC 6533 3, 5, 6: an internationalized original is returned in the "global" types.
        boolean global = envelope.smtputf8();
        // RFC 3461 4.3: RET=HDRS asks for the headers. RET=FULL and no RET return the whole original
        // up to bounce_size_limit and its headers above, as Postfix and sendmail do: a report to a
        // sender nobody verified must not be a way to make the relay send copies of large messages.
        // RFC 8689 5: the report on a REQUIRETLS message may take a path without TLS, so it returns
        // the header section only, whatever RET asked.
        boolean headersOnly = envelope.ret().equalsIgnoreCase("HDRS") || message.size() > sizeLimit || envelope.requireTls();
        String boundary = message.queueId() + "." + now.toEpochMilli() + "/" + hostname;
        String transferEncoding = eightBit ? "8bit" : "7bit";

        Lines lines = new Lines(out);
        lines.line("From: Mail Delivery System <MAILER-DAEMON@" + hostname + ">");
        lines.line("To: <" + envelope.sender() + ">");
        lines.line("Subject: Undelivered Mail Returned to Sender");
        lines.line("Date: " + RFC5322_DATE.format(now.atOffset(ZoneOffset.UTC)));
        lines.line("Message-ID: <" + message.queueId() + ".bounce@" + hostname + ">");
        lines.line("Auto-Submitted: auto-replied"); // RFC 3834 5: never answered automatically
        lines.line("MIME-Version: 1.0");
        // RFC 6522 3: multipart/report with report-type delivery-status (RFC 3464 2).
        lines.line("Content-Type: multipart/report; report-type=delivery-status;");
        lines.line("\tboundary=\"" + boundary + "\"");
        // RFC 2045 6.4: a multipart's encoding is that of its most demanding part.
        lines.line("Content-Transfer-Encoding: " + transferEncoding);
        lines.line("");
        lines.line("This is a MIME-encapsulated message.");
        lines.line("");

        lines.line("--" + boundary);
        lines.line("Content-Description: Notification");
        lines.line("Content-Type: text/plain; charset=" + (global ? "utf-8" : "us-ascii"));
        lines.line("Content-Transfer-Encoding: " + (global ? "8bit" : "7bit"));
        lines.line("");
        humanText(lines, failed, hostname); // ends with an empty line

        lines.line("--" + boundary);
        lines.line("Content-Description: Delivery report");
        lines.line("Content-Type: message/" + (global ? "global-delivery-status" : "delivery-status"));
        lines.line("Content-Transfer-Encoding: " + (global ? "8bit" : "7bit"));
        lines.line("");
        deliveryStatus(lines, envelope, failed, hostname);
        lines.line("");

        lines.line("--" + boundary);
        lines.line("Content-Description: " + (headersOnly ? "Undelivered Message Headers" : "Undelivered Message"));
        lines.line("Content-Type: " + (headersOnly ? (global ? "message/global-headers" : "text/rfc822-headers")
                : (global ? "message/global" : "message/rfc822")));
        lines.line("Content-Transfer-Encoding: " + transferEncoding);
        lines.line("");
        boolean endsWithCrlf;
        try (InputStream in = message.openContent()) {
            endsWithCrlf = headersOnly ? copyHeaders(in, out) : copy(in, out);
        }
        // RFC 2046 5.1.1: the CRLF before a boundary belongs to the delimiter, so a part that ends
        // with CRLF needs one more; an empty part or one without a final line end needs only that one.
        if (endsWithCrlf) {
            lines.line("");
        } else {
            out.write(Lines.CRLF);
        }
        lines.line("--" + boundary + "--");
        out.flush();
    }

    private static void humanText(Lines lines, List<RecipientResult> failed, String hostname) throws IOException {
        lines.line("This is the mail system at host " + hostname + ".");
        lines.line("");
        lines.line("I'm sorry to have to inform you that your message could not");
        lines.line("be delivered to one or more recipients. The reasons are given below.");
        lines.line("");
        for (RecipientResult result : failed) {
            String reason = "<" + result.recipient().address() + ">: "
                    + (result.remoteMta().isEmpty() ? "" : "host " + result.remoteMta() + " said: ")
                    + printable(result.diagnostic());
            lines.wrapped(reason, "    ", WRAP);
            lines.line("");
        }
    }

    private static void deliveryStatus(Lines lines, Envelope envelope, List<RecipientResult> failed, String hostname)
            throws IOException {
        // RFC 3464 2.2: the per-message fields, then one block per recipient, blocks separated by an empty line.
        lines.line("Reporting-MTA: dns; " + hostname);
        if (!envelope.envid().isEmpty()) {
            lines.line("Original-Envelope-Id: " + envelope.envid());
        }
        lines.line("Arrival-Date: " + RFC5322_DATE.format(envelope.arrival().atOffset(ZoneOffset.UTC)));
        for (RecipientResult result : failed) {
            lines.line("");
            if (!result.recipient().orcpt().isEmpty()) {
                lines.line("Original-Recipient: " + result.recipient().orcpt());
            }
            String address = result.recipient().address();
            // RFC 6533 4: a non-ASCII address is of type utf-8, legal only in message/global-delivery-status.
            lines.line("Final-Recipient: " + (isAscii(address) ? "rfc822; " : "utf-8; ") + address);
            lines.line("Action: failed");
            lines.line("Status: " + result.enhancedCode());
            if (!result.remoteMta().isEmpty()) {
                lines.line("Remote-MTA: dns; " + result.remoteMta());
            }
            if (result.remoteReply()) {
                // RFC 3464 2.3.6: folded like any header field when long.
                lines.wrapped("Diagnostic-Code: smtp; " + printable(result.diagnostic()), " ", FOLD);
            } else {
                // A local explanation, as Postfix writes its own (X-Postfix): an extension type.
                lines.wrapped("Diagnostic-Code: X-Sealpost; " + printable(result.diagnostic()), " ", FOLD);
            }
        }
    }

    /** Copies the whole content; returns whether it ended with CRLF (or was empty). */
    private static boolean copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int last = -1;
        int beforeLast = -1;
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            beforeLast = n > 1 ? buffer[n - 2] : last;
            last = buffer[n - 1];
        }
        return last == -1 || last == '\n' && beforeLast == '\r';
    }

    /** Copies the header section up to, not including, the empty line that ends it. */
    private static boolean copyHeaders(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n') {
                if (line.size() <= 2) { // the empty line (CRLF) ends the header section
                    break;
                }
                line.writeTo(out);
                line.reset();
            }
        }
        if (line.size() > 0 && c < 0) { // a last header line without its line end
            line.writeTo(out);
            return false;
        }
        return true;
    }

    /** Diagnostics come from remote replies and local errors: keep them to printable text on one line. */
    private static String printable(String text) {
        StringBuilder s = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> s.appendCodePoint(cp < 0x20 || cp == 0x7f ? ' ' : cp > 0x7e ? '?' : cp));
        return s.toString().strip();
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    /** Text lines out in UTF-8, each ended with CRLF. */
    private static final class Lines {
        static final byte[] CRLF = {'\r', '\n'};
        private final OutputStream out;

        Lines(OutputStream out) {
            this.out = out;
        }

        void line(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.write(CRLF);
        }

        /** Breaks at a space before {@code width} characters, or hard inside a longer word; continuations indented. */
        void wrapped(String text, String indent, int width) throws IOException {
            String rest = text;
            String prefix = "";
            while (prefix.length() + rest.length() > width) {
                int room = width - prefix.length();
                int cut = rest.lastIndexOf(' ', room);
                if (cut <= 0) {
                    cut = room;
                }
                line(prefix + rest.substring(0, cut).stripTrailing());
                rest = rest.substring(cut).stripLeading();
                prefix = indent;
            }
            if (!rest.isEmpty()) {
                line(prefix + rest);
            }
        }
    }
}
