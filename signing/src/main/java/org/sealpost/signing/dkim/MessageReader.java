package org.sealpost.signing.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a message arriving in chunks (CRLF line ends, after dot-unstuffing) into its header fields
 * and its body. The header section is held until the empty line that ends it (at most
 * {@code maxHeaderBytes}); body octets are passed on as they come and never kept.
 */
public final class MessageReader {

    private byte[] scratch;

    /** Where the parts go. */
    public interface Listener {
        void headers(List<HeaderField> fields);

        void body(byte[] data, int offset, int length);

        /** The header section grew past the limit; nothing more will be delivered. */
        void headersTooLarge(int limit);
    }

    private enum State { HEADERS, BODY, DISCARD, DONE }

    private final Listener listener;
    private final int maxHeaderBytes;
    private byte[] header = new byte[4096];
    private int headerLength;
    private State state = State.HEADERS;

    public MessageReader(Listener listener, int maxHeaderBytes) {
        this.listener = listener;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    public void feed(byte[] data, int offset, int length) {
        if (state == State.DONE) {
            throw new IllegalStateException("message already finished");
        }
        int i = offset;
        int end = offset + length;
        while (state == State.HEADERS && i < end) {
            append(data[i++]);
            if (headerEnded()) {
                endHeaders(headerLength - 2);
            } else if (headerLength > maxHeaderBytes) {
                state = State.DISCARD;
                releaseHeader();
                listener.headersTooLarge(maxHeaderBytes);
            }
        }
        if (state == State.BODY && i < end) {
            listener.body(data, i, end - i);
        }
    }

    /** Reads the buffer's remaining octets, heap or direct, and leaves it at its limit. */
    public void feed(java.nio.ByteBuffer buffer) {
        if (buffer.hasArray()) {
            feed(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            buffer.position(buffer.limit());
            return;
        }
        if (scratch == null) {
            scratch = new byte[8192]; // once per message: a direct buffer (Netty's) has no array to read
        }
        while (buffer.hasRemaining()) {
            int n = Math.min(scratch.length, buffer.remaining());
            buffer.get(scratch, 0, n);
            feed(scratch, 0, n);
        }
    }

    public void finish() {
        if (state == State.DONE) {
            throw new IllegalStateException("message already finished");
        }
        if (state == State.HEADERS) {
            // A message without the empty line has no body (RFC 5322 3.5); a final CRLF ends the last field.
            int length = headerLength;
            if (length >= 2 && header[length - 2] == '\r' && header[length - 1] == '\n') {
                length -= 2;
            }
            endHeaders(length);
        }
        state = State.DONE;
    }

    /** Octets held: the header section (the only buffer that grows with the message) and the scratch buffer. */
    public int retainedBytes() {
        return (header == null ? 0 : header.length) + (scratch == null ? 0 : scratch.length);
    }

    private void append(byte b) {
        if (headerLength == header.length) {
            header = Arrays.copyOf(header, Math.min(header.length * 2, maxHeaderBytes + 4));
        }
        header[headerLength++] = b;
    }

    private boolean headerEnded() {
        int n = headerLength;
        if (n == 2) {
            return header[0] == '\r' && header[1] == '\n';
        }
        return n >= 4 && header[n - 4] == '\r' && header[n - 3] == '\n' && header[n - 2] == '\r' && header[n - 1] == '\n';
    }

    private void endHeaders(int length) {
        List<HeaderField> fields = split(new String(header, 0, length, StandardCharsets.ISO_8859_1));
        releaseHeader();
        state = State.BODY;
        listener.headers(fields);
    }

    private void releaseHeader() {
        header = null;
        headerLength = 0;
    }

    /** Joins each field with its continuation lines (those starting with WSP, RFC 5322 2.2.3). */
    static List<HeaderField> split(String section) {
        List<HeaderField> fields = new ArrayList<>();
        if (section.isEmpty()) {
            return fields;
        }
        // A field ends at a CRLF that no WSP follows; a first line that starts with WSP begins a field.
        int start = 0;
        int from = 0;
        while (true) {
            int crlf = section.indexOf("\r\n", from);
            if (crlf < 0) {
                fields.add(HeaderField.of(section.substring(start)));
                return fields;
            }
            int next = crlf + 2;
            boolean continuation = next < section.length()
                    && (section.charAt(next) == ' ' || section.charAt(next) == '\t');
            if (!continuation) {
                fields.add(HeaderField.of(section.substring(start, crlf)));
                start = next;
            }
            from = next;
        }
    }
}
