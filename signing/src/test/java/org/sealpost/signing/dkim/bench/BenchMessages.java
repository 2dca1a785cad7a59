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

    /** TXT answers from a map, SECURE and completed at once; anything else is NXDOMAIN. */
    static DnsResolver dns(Map<String, String> records) {
        FakeDns dns = new FakeDns();
        records.forEach((name, record) -> dns.secureTxt(name, record));
        return dns;
    }
}
