package org.sealpost.signing.dkim;

import java.nio.charset.StandardCharsets;

/**
 * One header field as received: {@code raw} is every octet of it, folded lines joined with their
 * CRLFs, without the final CRLF, held as ISO-8859-1 so that 8-bit octets survive unchanged.
 */
public record HeaderField(String name, String raw) {

    public static HeaderField of(String raw) {
        int colon = raw.indexOf(':');
        String name = colon < 0 ? raw : raw.substring(0, colon);
        return new HeaderField(TagList.trim(name), raw);
    }

    /** The part after the first colon, still folded. */
    public String value() {
        int colon = raw.indexOf(':');
        return colon < 0 ? "" : raw.substring(colon + 1);
    }

    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    public byte[] bytes() {
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }
}
