package org.sealpost.signing.dkim2;

/**
 * A message body line by line, as recipes number it (-06 5.2: top down, the first line after the
 * empty line that ends the header section is 1).
 *
 * <p>Each line comes without its CRLF. A body that does not end in CRLF gives its last, unterminated
 * line as a line too, so "a\r\nb" and "a\r\nb\r\n" give the same two lines: the -06 6.1 body hash
 * adds the missing CRLF anyway. An empty body gives no line. Only CRLF ends a line: a bare CR or LF
 * stays inside it. The array passed to {@link #line} is the caller's: copy what you keep.
 */
public interface BodyLines {

    void line(byte[] data, int offset, int length);

    /** No more lines. */
    void end();

    /**
     * One sink that passes every line to each of {@code sinks} in turn: with it a verifier reads the
     * body once and, at the same time, builds this version's {@link MimeOutline}, hashes it, and feeds
     * the recipe that recreates the version before.
     */
    static BodyLines tee(BodyLines... sinks) {
        BodyLines[] all = sinks.clone();
        return new BodyLines() {
            @Override
            public void line(byte[] data, int offset, int length) {
                for (BodyLines sink : all) {
                    sink.line(data, offset, length);
                }
            }

            @Override
            public void end() {
                for (BodyLines sink : all) {
                    sink.end();
                }
            }
        };
    }
}
