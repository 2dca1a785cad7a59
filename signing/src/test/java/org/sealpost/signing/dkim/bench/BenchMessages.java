package org.sealpost.signing.dkim.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.signing.dkim.FakeDns;

/** Messages and an in-memory DNS for the benchmarks, so that neither generation nor DNS is timed. */
final class BenchMessages {

    static final byte[] HEADER = ("From: Alice <alice@example.com>\r\nTo: Bob <bob@example.net>\r\n"
            + "Subject: benchmark message\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\n"
            + "Message-ID: <bench@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private BenchMessages() {
    }

    /** A message of exactly {@code size} octets: the header above, then lines of 76 printable characters. */
    static byte[] message(int size) {
        byte[] out = new byte[size];
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
        fillBody(out, HEADER.length, size - HEADER.length, new Random(size), 0);
        return out;
    }

    /**
     * Body octets: lines of 76 printable characters (a space every so often) and CRLF; {@code at} is
     * the position in the body, so that consecutive chunks continue the same lines.
     */
    static void fillBody(byte[] out, int offset, int length, Random random, long at) {
        for (int i = 0; i < length; i++, at++) {
            int column = (int) (at % 78);
            out[offset + i] = column == 76 ? (byte) '\r' : column == 77 ? (byte) '\n'
                    : column % 9 == 8 ? (byte) ' ' : (byte) ('!' + random.nextInt(94));
        }
    }

    private static final String MAIL_HEADER = String.join("\r\n",
            "Received: from [192.0.2.44] (dsl-44.example.net [192.0.2.44])",
            "\tby submit.example.com (Postfix) with ESMTPSA id 4Zk2Qp1xYbz9sWN",
            "\tfor <bob@example.net>; Sun, 22 Nov 2026 10:00:00 +0000 (UTC)",
            "Message-ID: <5b1f0c2e-8d7a-4f3e-9a61-2c4d8e0f7a13@example.com>",
            "Date: Sun, 22 Nov 2026 10:00:00 +0000",
            "MIME-Version: 1.0",
            "User-Agent: Mozilla Thunderbird",
            "Content-Language: en-US",
            "From: Alice Example <alice@example.com>",
            "To: Bob Example <bob@example.net>",
            "Cc: Carol Example <carol@example.org>, Dave Example <dave@example.org>",
            "Subject: Re: the quarterly figures, with the spreadsheet attached",
            "In-Reply-To: <0a9e7d54-1c3b-4b2a-8f10-6e5d4c3b2a19@example.net>",
            "References: <0a9e7d54-1c3b-4b2a-8f10-6e5d4c3b2a19@example.net>",
            "Content-Type: multipart/mixed; boundary=\"------------bench0123456789abcdef\"",
            "", "This is a multi-part message in MIME format.",
            "--------------bench0123456789abcdef",
            "Content-Type: text/plain; charset=UTF-8; format=flowed",
            "Content-Transfer-Encoding: 7bit", "", "");

    private static final String MAIL_TEXT = String.join("\r\n",
            "Hi Bob,", "",
            "here are the figures for the quarter, as promised. The summary is in the",
            "first sheet; the second has the numbers per region and the third the",
            "notes from the call on Thursday. Let me know if anything looks off before",
            "I send it on to the board.", "",
            "On 21/11/2026 18:02, Bob Example wrote:",
            "> Could you send the spreadsheet before Monday? I would like to go",
            "> through it once more before the meeting.", "",
            "Thanks,", "Alice", "",
            "--------------bench0123456789abcdef",
            "Content-Type: application/vnd.oasis.opendocument.spreadsheet; name=\"q3-figures.ods\"",
            "Content-Disposition: attachment; filename=\"q3-figures.ods\"",
            "Content-Transfer-Encoding: base64", "", "");

    private static final String MAIL_END = "\r\n--------------bench0123456789abcdef--\r\n";

    /**
     * A mail of exactly {@code size} octets (at least 3 KiB) as a mail client sends it: a trace field
     * and the usual header fields, a short text part and a base64 attachment that fills the rest.
     */
    static byte[] mail(int size) {
        byte[] head = (MAIL_HEADER + MAIL_TEXT).getBytes(StandardCharsets.US_ASCII);
        byte[] end = MAIL_END.getBytes(StandardCharsets.US_ASCII);
        int fill = size - head.length - end.length;
        if (fill < 78) {
            throw new IllegalArgumentException("a benchmark mail has at least " + (head.length + end.length + 78) + " octets");
        }
        byte[] attachment = new byte[fill / 78 * 57 + 57];
        new Random(size).nextBytes(attachment);
        String base64 = java.util.Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(attachment);
        byte[] out = new byte[size];
        System.arraycopy(head, 0, out, 0, head.length);
        // whole lines of the base64 text, the last one cut short so that the mail has exactly size octets
        byte[] body = base64.substring(0, fill - 2).getBytes(StandardCharsets.US_ASCII);
        int at = head.length;
        System.arraycopy(body, 0, out, at, body.length);
        at += body.length;
        if (out[at - 1] == '\r') { // never a bare CR before the line end
            out[at - 1] = 'A';
        }
        out[at++] = '\r';
        out[at++] = '\n';
        System.arraycopy(end, 0, out, at, end.length);
        return out;
    }

    /** TXT answers from a map, SECURE and completed at once; anything else is NXDOMAIN. */
    static DnsResolver dns(Map<String, String> records) {
        FakeDns dns = new FakeDns();
        records.forEach((name, record) -> dns.secureTxt(name, record));
        return dns;
    }
}
