package org.sealpost.transport.smtp.server;

import io.netty.buffer.ByteBuf;

/**
 * Watches message content as it streams past: bare CR or LF (RFC 5321 2.3.8, the ground of SMTP
 * smuggling), NUL octets (2.3.8, RFC 6152), lines over the limit (4.5.3.1.6), the size, and the
 * Received headers that count hops.
 */
final class ContentCheck {

    /** Received fields past which a message is taken to loop (RFC 5321 6.3). */
    private static final int HOP_LIMIT = 50;
    private static final byte[] RECEIVED = "received:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int lineLimit;
    private long size;
    private long lineLength;
    private boolean previousCr;
    private boolean bareLineEnd;
    private boolean lineTooLong;
    private boolean nul;
    private boolean inHeaders = true;
    private int headerMatch;
    private int received;

    ContentCheck(int lineLimit) {
        this.lineLimit = lineLimit;
    }

    void accept(ByteBuf content) {
        size += content.readableBytes();
        for (int i = content.readerIndex(); i < content.writerIndex(); i++) {
            byte b = content.getByte(i);
            if (b == 0) {
                nul = true;
            }
            if (previousCr && b != '\n') {
                bareLineEnd = true;
            }
            if (b == '\n') {
                if (!previousCr) {
                    bareLineEnd = true;
                }
                if (lineLength + 1 > lineLimit) {
                    lineTooLong = true;
                }
                if (lineLength <= 1 && inHeaders) {
                    inHeaders = false; // the empty line ends the header section
                }
                lineLength = 0;
                headerMatch = 0;
            } else {
                lineLength++;
                if (lineLength > lineLimit) {
                    lineTooLong = true;
                }
                if (inHeaders && headerMatch >= 0 && headerMatch < RECEIVED.length) {
                    byte lower = (byte) Character.toLowerCase(b);
                    headerMatch = lower == RECEIVED[headerMatch] ? headerMatch + 1 : -1;
                    if (headerMatch == RECEIVED.length) {
                        received++;
                    }
                }
            }
            previousCr = b == '\r';
        }
    }

    long size() {
        return size;
    }

    /** Whether the content had a CR not followed by LF, or an LF not preceded by CR. */
    boolean bareLineEnd() {
        return bareLineEnd || previousCr;
    }

    /** Whether the content had a NUL octet, which no SMTP content without BINARYMIME may hold. */
    boolean nul() {
        return nul;
    }

    boolean lineTooLong() {
        return lineTooLong;
    }

    int receivedHeaders() {
        return received;
    }

    /** The reply that refuses what RFC 5321 forbids in content, whatever the filter says; null when none. */
    String refusal() {
        if (nul()) {
            // RFC 5321 2.3.8, RFC 6152: 8-bit data is not binary; Sealpost offers no BINARYMIME (RFC 3030).
            return "554 5.6.0 Error: message content contains a NUL octet";
        }
        if (bareLineEnd()) {
            return "550 5.5.2 Error: bare <CR> or <LF> in message content (RFC 5321 2.3.8)";
        }
        if (lineTooLong) {
            return "554 5.6.0 Error: message has a line longer than " + lineLimit + " octets (RFC 5321 4.5.3.1.6)";
        }
        if (received >= HOP_LIMIT) {
            return "554 5.4.6 Error: too many hops";
        }
        return null;
    }
}
