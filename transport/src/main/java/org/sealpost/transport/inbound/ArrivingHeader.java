package org.sealpost.transport.inbound;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.sealpost.transport.dkim.FromAddresses;

/**
 * The client's header section as it arrived, split into fields (RFC 5322 2.2: a field goes on
 * across lines that begin with white space), so that fields can be dropped without touching the
 * octets of the others.
 */
final class ArrivingHeader {

    /** One field: its name and its octets as they came, CRLF included (ISO-8859-1, one char an octet). */
    record Field(String name, String octets) {

        private static final Pattern UNFOLD = Pattern.compile("\r\n(?=[ \t])");

        /** The value unfolded, decoded as UTF-8 (RFC 6532), without the name and colon. */
        String value() {
            String text = new String(octets.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            return UNFOLD.matcher(text.substring(text.indexOf(':') + 1)).replaceAll("").strip();
        }
    }

    private final List<Field> fields;
    private final String rest;

    private ArrivingHeader(List<Field> fields, String rest) {
        this.fields = fields;
        this.rest = rest;
    }

    static ArrivingHeader parse(byte[] section) {
        String text = new String(section, StandardCharsets.ISO_8859_1);
        List<Field> fields = new ArrayList<>();
        int start = 0;
        while (start < text.length() && !text.startsWith("\r\n", start)) {
            int end = start;
            do {
                int crlf = text.indexOf("\r\n", end);
                end = crlf < 0 ? text.length() : crlf + 2;
            } while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t'));
            String octets = text.substring(start, end);
            int colon = octets.indexOf(':');
            fields.add(new Field(colon < 0 ? "" : octets.substring(0, colon).strip(), octets));
            start = end;
        }
        return new ArrivingHeader(fields, text.substring(start));
    }

    List<Field> fields() {
        return fields;
    }

    /** The section without the given fields, every other octet as it came. */
    byte[] without(List<Field> dropped) {
        StringBuilder out = new StringBuilder();
        fields.stream().filter(f -> !dropped.contains(f)).forEach(f -> out.append(f.octets()));
        return out.append(rest).toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The addresses of every From field (RFC 5322 3.6.2), one list per field, lower case. */
    List<List<String>> fromAddresses() {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase("From")).map(f -> FromAddresses.of(f.value())).toList();
    }
}
