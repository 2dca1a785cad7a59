package org.sealpost.signing.dkim2;

import java.util.Arrays;

/**
 * Cuts body octets, arriving in chunks, into the lines of {@link BodyLines}: only CRLF ends a line,
 * and a last line without CRLF is a line too. One line is held at a time, up to a limit.
 */
public final class BodyLineSplitter {

    /** RFC 5322 2.1.1 allows 998 octets; real mail runs longer, so the default is generous. */
    public static final int DEFAULT_MAX_LINE = 1 << 20;

    private final BodyLines target;
    private final int maxLine;
    private byte[] buffer;
    private int length;
    private boolean pendingCr;
    private long lines;
    private boolean finished;

    public BodyLineSplitter(BodyLines target) {
        this(target, DEFAULT_MAX_LINE);
    }

    public BodyLineSplitter(BodyLines target, int maxLine) {
        if (maxLine < 1) {
            throw new IllegalArgumentException("maxLine must be at least 1, not " + maxLine);
        }
        this.target = target;
        this.maxLine = maxLine;
        this.buffer = new byte[Math.min(256, maxLine)];
    }

    /**
     * Takes the next octets of the body.
     *
     * @throws RecipeException.Unchecked when a line grows past the limit
     */
    public void feed(byte[] data, int offset, int count) {
        if (finished) {
            throw new IllegalStateException("body already finished");
        }
        for (int i = offset, end = offset + count; i < end; i++) {
            byte b = data[i];
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') {
                    lines++;
                    target.line(buffer, 0, length);
                    length = 0;
                    continue;
                }
                append((byte) '\r');
            }
            if (b == '\r') {
                pendingCr = true;
            } else {
                append(b);
            }
        }
    }

    /** Ends the body: an unterminated last line is passed on, then {@link BodyLines#end()}. */
    public void finish() {
        if (finished) {
            throw new IllegalStateException("body already finished");
        }
        finished = true;
        if (pendingCr) {
            pendingCr = false;
            append((byte) '\r');
        }
        if (length > 0) {
            lines++;
            target.line(buffer, 0, length);
            length = 0;
        }
        target.end();
    }

    private void append(byte b) {
        if (length == buffer.length) {
            if (length >= maxLine) {
                throw new RecipeException.Unchecked(new RecipeException(
                        "body line " + (lines + 1) + " is longer than " + maxLine + " octets"));
            }
            buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxLine));
        }
        buffer[length++] = b;
    }
}
