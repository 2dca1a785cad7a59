package org.sealpost.transport.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The header section of a message as it arrives, kept until the blank line that ends it (at most
 * {@code limit} octets), so that the From address can choose the signing key before the first
 * octet reaches the signer. What comes after it is handed back untouched.
 */
final class HeaderSection {

    private static final Pattern FOLD = Pattern.compile("\r\n[ \t]");
    private static final Pattern CRLF = Pattern.compile("\r\n");
    private static final Pattern FIELD_END = Pattern.compile("\r\n(?![ \t])");

    private final int limit;
    private final ByteArrayOutputStream octets = new ByteArrayOutputStream();
    private int matched; // how much of CRLF CRLF the last octets matched
    private boolean complete;
    private boolean tooLarge;

    HeaderSection(int limit) {
        this.limit = limit;
    }

    /** Takes octets until the header is complete; returns the part of {@code buffer} after it (or empty). */
    ByteBuffer take(ByteBuffer buffer) {
        while (!complete && buffer.hasRemaining()) {
            byte b = buffer.get();
            octets.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
            // A message that starts with CRLF has an empty header section.
            if (matched == 4 || (octets.size() == 2 && matched == 2)) {
                complete = true;
            } else if (octets.size() >= limit) {
                tooLarge = true;
                complete = true;
            }
        }
        return buffer;
    }

    boolean complete() {
        return complete;
    }

    boolean tooLarge() {
        return tooLarge;
    }

    byte[] octets() {
        return octets.toByteArray();
    }

    /** The addresses of every From field (RFC 5322 3.6.2), one list per field. */
    List<List<String>> fromAddresses() {
        List<List<String>> fields = new ArrayList<>();
        String text = FOLD.matcher(octets.toString(StandardCharsets.UTF_8)).replaceAll(" ");
        for (String line : CRLF.split(text)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("From")) {
                fields.add(FromAddresses.of(line.substring(colon + 1)));
            }
        }
        return fields;
    }

    /**
     * Each field as it came, top first, folding kept, without its final CRLF; one char per octet
     * (ISO-8859-1), as the signers read fields.
     */
    List<String> fields() {
        List<String> fields = new ArrayList<>();
        String text = octets.toString(StandardCharsets.ISO_8859_1);
        for (String line : FIELD_END.split(text)) {
            if (!line.isEmpty()) {
                fields.add(line);
            }
        }
        return fields;
    }
}
