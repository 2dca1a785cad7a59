package org.sealpost.interop;

import jakarta.activation.DataHandler;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * Messages of the shapes real mail has, built with Jakarta Mail: plain text, HTML with a text
 * alternative, binary attachments in base64, 8-bit text (8BITMIME), UTF-8 header fields and
 * addresses (SMTPUTF8), long folded header fields, empty bodies; sizes from an empty body to
 * tens of MiB. The same seed gives the same corpus, so a failure names a message that can be rebuilt.
 */
final class CorpusMessages {

    /** One message as handed to the first hop: its envelope needs and its octets (CRLF line ends). */
    record Message(String id, String shape, boolean eightBit, boolean smtputf8, String localPart, byte[] content) {
        @Override
        public String toString() {
            return id + " (" + shape + ", " + content.length + " octets)";
        }
    }

    private static final String[] WORDS = {"relay", "queue", "signature", "delivery", "report", "header", "body",
        "attachment", "transport", "domain", "mailbox", "envelope", "status", "message", "server", "client"};
    private static final String[] UTF8_WORDS = {"Grüße", "Straße", "naïve", "façade", "Ελληνικά", "русский",
        "日本語", "中文", "עברית", "😀", "smörgåsbord", "Köln"};

    private final Session session;
    private final SplittableRandom random;
    private final String senderDomain;

    CorpusMessages(long seed, String senderDomain) {
        Properties properties = new Properties();
        properties.setProperty("mail.mime.allowutf8", "true"); // RFC 6532 header fields are written as UTF-8
        this.session = Session.getInstance(properties);
        this.random = new SplittableRandom(seed);
        this.senderDomain = senderDomain;
    }

    /**
     * {@code small} messages cycling through the shapes, then one attachment message of each size
     * in {@code largeSizes} (approximate total octets).
     */
    List<Message> build(int small, List<Integer> largeSizes) throws Exception {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < small; i++) {
            String id = String.format("c%03d", i);
            messages.add(switch (i % 9) {
                case 0 -> plain(id, text(random.nextInt(1, 4000)));
                case 1 -> eightBitPlain(id);
                case 2 -> alternative(id);
                case 3 -> attachment(id, random.nextInt(1, 60_000));
                case 4 -> smtputf8(id);
                case 5 -> longHeaders(id);
                case 6 -> plain(id, ""); // an empty body: 0 octets after the header section
                case 7 -> mixedAlternative(id);
                default -> plain(id, text(random.nextInt(20_000, 120_000))); // over 64 KiB, under 1 MiB
            });
        }
        for (int i = 0; i < largeSizes.size(); i++) {
            messages.add(ofSize(String.format("L%02d", i), largeSizes.get(i)));
        }
        return messages;
    }

    /** An attachment message of {@code octets} in all, give or take a line: for sizes near a limit. */
    Message ofSize(String id, int octets) throws Exception {
        // base64 grows the attachment by 4/3, and by 78/76 for its line ends; one correction pass.
        int guess = (int) (octets / (4.0 / 3 * 78 / 76));
        Message first = attachment(id, guess);
        int corrected = guess + (int) ((octets - first.content().length) / (4.0 / 3 * 78 / 76)) - 60;
        return attachment(id, corrected);
    }

    private MimeMessage base(String id, String subject) throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setHeader("From", "Corpus Sender <sender@" + senderDomain + ">");
        message.setHeader("Subject", subject);
        message.setHeader("Date", "Fri, 27 Nov 2026 10:00:00 +0000");
        message.setHeader("Message-ID", "<" + id + ".corpus@" + senderDomain + ">");
        return message;
    }

    private Message finish(String id, String shape, MimeMessage message, boolean eightBit, boolean smtputf8,
            String localPart, String toDomainless) throws Exception {
        message.setHeader("To", toDomainless);
        message.saveChanges();
        message.setHeader("Message-ID", "<" + id + ".corpus@" + senderDomain + ">"); // saveChanges makes its own
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return new Message(id, shape, eightBit, smtputf8, localPart, out.toByteArray());
    }

    private Message plain(String id, String body) throws Exception {
        MimeMessage message = base(id, body.isEmpty() ? "empty body" : "plain text " + id);
        message.setText(body, "us-ascii");
        message.setHeader("Content-Transfer-Encoding", "7bit");
        return finish(id, body.isEmpty() ? "empty body" : "plain", message, false, false, "plain", RECIPIENTS);
    }

    private Message eightBitPlain(String id) throws Exception {
        MimeMessage message = base(id, "8-bit text " + id);
        message.setText(utf8Text(random.nextInt(200, 6000)), "utf-8");
        message.setHeader("Content-Transfer-Encoding", "8bit"); // RFC 6152: sent with BODY=8BITMIME
        return finish(id, "8bit", message, true, false, "eight", RECIPIENTS);
    }

    private Message alternative(String id) throws Exception {
        MimeMessage message = base(id, "HTML with a text alternative " + id);
        String text = text(random.nextInt(100, 5000));
        message.setContent(alternativeOf(text));
        return finish(id, "html+text", message, false, false, "html", RECIPIENTS);
    }

    private MimeMultipart alternativeOf(String text) throws Exception {
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "us-ascii");
        alternative.addBodyPart(plain);
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<!DOCTYPE html>\r\n<html><body>\r\n<p>" + text.replace("\r\n", "</p>\r\n<p>")
                + "</p>\r\n<p style=\"font-family: 'Helvetica Neue', Arial; color: #333\">=3D &amp; soft breaks "
                + "x".repeat(120) + "</p>\r\n</body></html>\r\n", "text/html; charset=us-ascii");
        alternative.addBodyPart(html);
        return alternative;
    }

    private Message mixedAlternative(String id) throws Exception {
        MimeMessage message = base(id, "alternative and attachments " + id);
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alternativeOf(text(random.nextInt(100, 3000))));
        mixed.addBodyPart(body);
        mixed.addBodyPart(binaryPart(random.nextInt(1, 20_000), "image/png", "photo.png"));
        MimeBodyPart utf8 = new MimeBodyPart();
        utf8.setText(utf8Text(800), "utf-8");
        utf8.setHeader("Content-Transfer-Encoding", "8bit");
        utf8.setFileName(MimeUtility.encodeText("Übersicht ünd Notizen.txt", "utf-8", "Q"));
        mixed.addBodyPart(utf8);
        message.setContent(mixed);
        return finish(id, "mixed+alternative+8bit", message, true, false, "mixed", RECIPIENTS);
    }

    private Message attachment(String id, int octets) throws Exception {
        MimeMessage message = base(id, "attachment of " + octets + " octets " + id);
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("The attachment follows.\r\n", "us-ascii");
        mixed.addBodyPart(text);
        mixed.addBodyPart(binaryPart(octets, "application/octet-stream", "data-" + id + ".bin"));
        message.setContent(mixed);
        return finish(id, "attachment", message, false, false, "attach", RECIPIENTS);
    }

    private MimeBodyPart binaryPart(int octets, String type, String name) throws Exception {
        byte[] data = new byte[octets];
        random.nextBytes(data);
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(data, type)));
        part.setFileName(name);
        part.setHeader("Content-Transfer-Encoding", "base64");
        return part;
    }

    private Message smtputf8(String id) throws Exception {
        // RFC 6532: raw UTF-8 in header fields and addresses; RFC 6531: sent with SMTPUTF8.
        MimeMessage message = base(id, "Grüße aus Köln, 日本語の件名 " + id);
        message.setHeader("From", "Jörg Müller <jörg@" + senderDomain + ">");
        message.setHeader("Reply-To", "\"Ærøskøbing Café\" <café@" + senderDomain + ">");
        message.setText(utf8Text(random.nextInt(100, 3000)), "utf-8");
        message.setHeader("Content-Transfer-Encoding", "8bit");
        return finish(id, "smtputf8", message, true, true, "müller",
                "Ünïcödé <müller@" + DEST + ">, Ünïcödé <müller@" + DIRECT + ">");
    }

    private Message longHeaders(String id) throws Exception {
        MimeMessage message = base(id, "");
        // A long Subject in RFC 2047 encoded words, folded by Jakarta Mail.
        message.setSubject(utf8Text(300).replace("\r\n", " "), "utf-8");
        StringBuilder references = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            references.append(i == 0 ? "" : "\r\n\t").append("<ref-").append(i).append(".").append(random.nextLong())
                    .append("@").append(senderDomain).append(">");
        }
        message.setHeader("References", references.toString());
        message.setHeader("X-Long-Unfolded", "v" + "0123456789".repeat(90)); // 900 octets on one line
        message.setHeader("X-Folded-Many", "a\r\n b\r\n\tc\r\n  d   e\r\n f");
        message.setHeader("Cc", String.join(",\r\n ", List.of("one@" + DEST, "Two Person <two@" + DEST + ">",
                "\"Three, Esq.\" <three@" + DIRECT + ">")));
        message.setText(text(random.nextInt(10, 2000)), "us-ascii");
        message.setHeader("Content-Transfer-Encoding", "7bit");
        return finish(id, "long headers", message, false, false, "long", RECIPIENTS);
    }

    static final String DEST = "dest.good.test";
    static final String DIRECT = "direct.good.test";
    private static final String RECIPIENTS = "Corpus Reader <reader@" + DEST + ">,\r\n Other Reader <reader@" + DIRECT + ">";

    /** ASCII lines under 78 characters, CRLF line ends, some starting with a dot (dot-stuffing). */
    private String text(int octets) {
        StringBuilder s = new StringBuilder(octets + 80);
        StringBuilder line = new StringBuilder();
        while (s.length() < octets) {
            String word = random.nextInt(40) == 0 ? "." : WORDS[random.nextInt(WORDS.length)];
            if (line.length() + word.length() + 1 > 72 || random.nextInt(30) == 0) {
                s.append(line).append("\r\n");
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        return s.append(line).append("\r\n").toString();
    }

    private String utf8Text(int chars) {
        StringBuilder s = new StringBuilder(chars + 80);
        int lineLength = 0;
        while (s.length() < chars) {
            String word = random.nextBoolean() ? UTF8_WORDS[random.nextInt(UTF8_WORDS.length)]
                    : WORDS[random.nextInt(WORDS.length)];
            if (lineLength + word.length() > 70) {
                s.append("\r\n");
                lineLength = 0;
            }
            s.append(word).append(' ');
            lineLength += word.length() + 1;
        }
        return s.append("\r\n").toString();
    }
}
