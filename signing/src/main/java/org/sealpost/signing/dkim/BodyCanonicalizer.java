package org.sealpost.signing.dkim;

/**
 * Simple or relaxed body canonicalization (RFC 6376 3.4.3, 3.4.4) over a stream, in constant memory:
 * trailing empty lines and trailing whitespace are counted while they are pending, never stored,
 * and written out only when a later octet shows they were not at the end.
 */
final class BodyCanonicalizer {

    /** Receives the canonical body. */
    interface Sink {
        void write(byte[] data, int offset, int length);
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] SP = {' '};

    private final boolean relaxed;
    private final Sink sink;
    private final byte[] out = new byte[8192];
    private int outLength;
    /** Empty lines seen but not yet written: they vanish if nothing but empty lines follows. */
    private long pendingEmptyLines;
    /** Relaxed: whitespace seen in this line and not yet written (one SP if more content follows). */
    private boolean pendingSpace;
    /** A CR waiting to learn whether an LF follows. */
    private boolean pendingCr;
    /** The current line has content, so its CRLF is not an empty line. */
    private boolean lineHasContent;
    private boolean anyOutput;

    BodyCanonicalizer(boolean relaxed, Sink sink) {
        this.relaxed = relaxed;
        this.sink = sink;
    }

    void update(byte[] data, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            byte b = data[i];
            if (!pendingCr && ordinary(b)) {
                // A run of octets that change no state: the first settles what is pending (empty
                // lines, a space), the rest are copied whole, as content() would one by one.
                content(b);
                int run = i + 1;
                while (run < end && ordinary(data[run])) {
                    run++;
                }
                copy(data, i + 1, run - i - 1);
                i = run - 1;
                continue;
            }
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') {
                    endLine();
                    continue;
                }
                content((byte) '\r');
            }
            if (b == '\r') {
                pendingCr = true;
            } else if (relaxed && (b == ' ' || b == '\t')) {
                pendingSpace = true;
            } else {
                content(b);
            }
        }
    }

    /** Ends the body: trailing empty lines and whitespace are dropped, a last line gets its CRLF. */
    void finish() {
        if (pendingCr) {
            pendingCr = false;
            content((byte) '\r');
        }
        if (lineHasContent) {
            // RFC 6376 3.4.3 / 3.4.4: a body not ending in CRLF gets one.
            emit(CRLF);
        } else if (!relaxed && !anyOutput) {
            // RFC 6376 3.4.3: an empty simple body is a single CRLF; a relaxed one stays empty (3.4.4).
            emit(CRLF);
        }
        flush();
    }

    private void content(byte b) {
        if (!lineHasContent) {
            for (; pendingEmptyLines > 0; pendingEmptyLines--) {
                emit(CRLF);
            }
        }
        if (pendingSpace) {
            emit(SP);
            pendingSpace = false;
        }
        lineHasContent = true;
        if (outLength == out.length) {
            flush();
        }
        out[outLength++] = b;
        anyOutput = true;
    }

    /** Neither CR nor, when relaxed, whitespace: an octet that is copied as it is. */
    private boolean ordinary(byte b) {
        return b != '\r' && !(relaxed && (b == ' ' || b == '\t'));
    }

    private void copy(byte[] data, int from, int length) {
        if (length > out.length - outLength) {
            flush();
            if (length >= out.length) {
                sink.write(data, from, length);
                return;
            }
        }
        System.arraycopy(data, from, out, outLength, length);
        outLength += length;
    }

    private void endLine() {
        // Relaxed: whitespace at the end of a line is dropped, and a line of only whitespace is empty.
        pendingSpace = false;
        if (lineHasContent) {
            emit(CRLF);
            lineHasContent = false;
        } else {
            pendingEmptyLines++;
        }
    }

    private void emit(byte[] bytes) {
        if (outLength + bytes.length > out.length) {
            flush();
        }
        System.arraycopy(bytes, 0, out, outLength, bytes.length);
        outLength += bytes.length;
        anyOutput = true;
    }

    private void flush() {
        if (outLength > 0) {
            sink.write(out, 0, outLength);
            outLength = 0;
        }
    }

    long pendingEmptyLines() {
        return pendingEmptyLines;
    }
}
