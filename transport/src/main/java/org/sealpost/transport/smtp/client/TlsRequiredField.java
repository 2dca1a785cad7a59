package org.sealpost.transport.smtp.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code TLS-Required} header field of RFC 8689 3: {@code "TLS-Required:" [FWS] "No"}. The
 * only value defined is "No" (ABNF strings match without regard to case); a field with any other
 * value means nothing and is ignored, as is a field in the body.
 */
final class TlsRequiredField {

    /** Far above any real header section; a field after this many octets is not looked for. */
    static final int HEADER_LIMIT = 1 << 20;

    private TlsRequiredField() {
    }

    /** Whether the header section of {@code content} has {@code TLS-Required: No}; the stream is read up to the body. */
    static boolean saysNo(InputStream content) throws IOException {
        // Read in blocks, not octet by octet: this runs for every delivery attempt.
        byte[] chunk = new byte[8192];
        StringBuilder field = new StringBuilder();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long total = 0;
        for (int n; total < HEADER_LIMIT && (n = content.read(chunk)) > 0; ) {
            int end = (int) Math.min(n, HEADER_LIMIT - total);
            int start = 0;
            for (int i = 0; i < end; i++) {
                if (chunk[i] == '\n') {
                    line.write(chunk, start, i - start);
                    start = i + 1;
                    Boolean decided = lineEnded(line, field);
                    if (decided != null) {
                        return decided;
                    }
                }
            }
            line.write(chunk, start, end - start);
            total += end;
        }
        // A header section that ends without CRLF (a message of header fields only).
        String rest = line.toString(StandardCharsets.ISO_8859_1);
        if (!rest.isEmpty() && (rest.charAt(0) == ' ' || rest.charAt(0) == '\t')) {
            return isNo(field + rest);
        }
        return isNo(field.toString()) || isNo(rest);
    }

    /** A line has ended: true or false once the answer is known, null to read on. */
    private static Boolean lineEnded(ByteArrayOutputStream line, StringBuilder field) {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (!text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(0) == '\t')) {
            field.append(text); // RFC 5322 2.2.3: a folded line continues the field
            return null;
        }
        if (isNo(field.toString())) {
            return true;
        }
        if (text.isEmpty()) {
            return false; // the end of the header section
        }
        field.setLength(0);
        field.append(text);
        return null;
    }

    /** One unfolded field: its name TLS-Required in any case, its value "No" in any case with white space around. */
    static boolean isNo(String field) {
        int colon = field.indexOf(':');
        if (colon < 0 || !field.substring(0, colon).strip().equalsIgnoreCase("TLS-Required")) {
            return false;
        }
        return field.substring(colon + 1).strip().toLowerCase(Locale.ROOT).equals("no");
    }
}
