package org.sealpost.transport.smtp.server;

import java.nio.charset.StandardCharsets;

/**
 * Client text made safe to write into a trace field or a log line, as Postfix's printable() does:
 * each octet that is not printable ASCII becomes '?', so that 8-bit and control octets of a HELO
 * name never reach a header field (RFC 5322 3.6.7) or a log reader's terminal raw.
 */
public final class Printable {

    private Printable() {
    }

    /** For a log line: printable ASCII and the space stay. */
    public static String forLog(String text) {
        return replace(text, "");
    }

    /** For the from-domain of the Received field: no space, and no parenthesis that would open a comment. */
    static String forTraceField(String text) {
        return replace(text, " ()");
    }

    private static String replace(String text, String alsoReplaced) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            out.append(c >= 0x20 && c < 0x7f && alsoReplaced.indexOf(c) < 0 ? c : '?');
        }
        return out.toString();
    }
}
