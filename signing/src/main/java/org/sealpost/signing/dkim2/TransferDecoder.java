package org.sealpost.signing.dkim2;

import java.security.MessageDigest;
import java.util.Locale;

/**
 * Decodes a part's content-transfer-encoding (RFC 2045 6) line by line into a digest, so that a part
 * re-encoded from base64 to quoted-printable is known by its unchanged decoded content. Lines are
 * joined with CRLF, as the part's content is; nothing is kept but a few pending bits.
 */
abstract class TransferDecoder {

    private static final byte[] CRLF = {'\r', '\n'};

    final MessageDigest digest;

    TransferDecoder(MessageDigest digest) {
        this.digest = digest;
    }

    /** A decoder for the encoding named in a Content-Transfer-Encoding value; unknown ones are taken as they are. */
    static TransferDecoder forEncoding(String encoding, MessageDigest digest) {
        String name = encoding == null ? "" : encoding.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "base64" -> new Base64Decoder(digest);
            case "quoted-printable" -> new QuotedPrintableDecoder(digest);
            default -> new Identity(digest);
        };
    }

    abstract void line(byte[] data, int offset, int length, boolean first);

    /** 7bit, 8bit, binary and anything unknown: the content itself. */
    private static final class Identity extends TransferDecoder {
        Identity(MessageDigest digest) {
            super(digest);
        }

        @Override
        void line(byte[] data, int offset, int length, boolean first) {
            if (!first) {
                digest.update(CRLF);
            }
            digest.update(data, offset, length);
        }
    }

    /** RFC 2045 6.8: characters outside the alphabet are ignored, "=" ends the data. */
    private static final class Base64Decoder extends TransferDecoder {
        private int bits;
        private int count;
        private boolean done;

        Base64Decoder(MessageDigest digest) {
            super(digest);
        }

        @Override
        void line(byte[] data, int offset, int length, boolean first) {
            for (int i = offset, end = offset + length; i < end && !done; i++) {
                int c = data[i] & 0xff;
                int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52
                        : c == '+' ? 62 : c == '/' ? 63 : c == '=' ? -2 : -1;
                if (v == -2) {
                    done = true;
                } else if (v >= 0) {
                    bits = bits << 6 | v;
                    if (++count == 4) {
                        digest.update((byte) (bits >> 16));
                        digest.update((byte) (bits >> 8));
                        digest.update((byte) bits);
                        bits = 0;
                        count = 0;
                    }
                }
            }
            if (done && count > 1) {
                // A final quantum of 2 or 3 characters gives 1 or 2 octets.
                int padded = bits << 6 * (4 - count);
                digest.update((byte) (padded >> 16));
                if (count == 3) {
                    digest.update((byte) (padded >> 8));
                }
                count = 0;
            }
        }
    }

    /** RFC 2045 6.7: "=XX" octets, soft line breaks, trailing whitespace dropped. */
    private static final class QuotedPrintableDecoder extends TransferDecoder {
        private boolean pendingBreak;

        QuotedPrintableDecoder(MessageDigest digest) {
            super(digest);
        }

        @Override
        void line(byte[] data, int offset, int length, boolean first) {
            int end = offset + length;
            while (end > offset && (data[end - 1] == ' ' || data[end - 1] == '\t')) {
                end--; // rule 3: trailing whitespace was added in transport
            }
            boolean soft = end > offset && data[end - 1] == '=';
            if (soft) {
                end--;
            }
            if (pendingBreak) {
                digest.update(CRLF);
            }
            for (int i = offset; i < end; i++) {
                byte b = data[i];
                int octet = b == '=' && i + 2 < end ? hex(data[i + 1], data[i + 2]) : -1;
                if (octet >= 0) {
                    digest.update((byte) octet);
                    i += 2;
                } else {
                    digest.update(b); // a malformed "=" is kept, as RFC 2045 6.7 suggests
                }
            }
            pendingBreak = !soft;
        }

        private static int hex(byte high, byte low) {
            int h = Character.digit((char) (high & 0xff), 16);
            int l = Character.digit((char) (low & 0xff), 16);
            return h < 0 || l < 0 ? -1 : h << 4 | l;
        }
    }
}
