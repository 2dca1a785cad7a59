package org.sealpost.signing.dkim;

import java.nio.charset.StandardCharsets;

/** The canonicalization algorithms of RFC 6376 3.4, for the header (c= before the slash) or the body. */
public enum Canonicalization {
    SIMPLE,
    RELAXED;

    /** The c= name. */
    public String tag() {
        return this == SIMPLE ? "simple" : "relaxed";
    }

    public static Canonicalization byTag(String tag) {
        for (Canonicalization c : values()) {
            if (c.tag().equalsIgnoreCase(tag)) {
                return c;
            }
        }
        return null;
    }

    /** One header field in canonical form, ending in CRLF (RFC 6376 3.4.1, 3.4.2). */
    public byte[] header(String raw) {
        return (this == SIMPLE ? raw : relaxedHeader(raw)).concat("\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A streaming canonicalizer for the body, writing into {@code sink}. */
    BodyCanonicalizer body(BodyCanonicalizer.Sink sink) {
        return new BodyCanonicalizer(this == RELAXED, sink);
    }

    // RFC 6376 3.4.2: lower-case the name; unfold; runs of WSP become one SP; no WSP at the end of
    // the value or around the colon.
    static String relaxedHeader(String raw) {
        int colon = raw.indexOf(':');
        String name = colon < 0 ? raw : raw.substring(0, colon);
        String value = colon < 0 ? "" : raw.substring(colon + 1);
        StringBuilder out = new StringBuilder(raw.length());
        out.append(asciiLower(TagList.trim(name).replace("\r\n", ""))).append(':');
        boolean space = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' && i + 1 < value.length() && value.charAt(i + 1) == '\n') {
                i++;
                continue;
            }
            if (c == ' ' || c == '\t') {
                space = true;
                continue;
            }
            if (space && started) {
                out.append(' ');
            }
            space = false;
            started = true;
            out.append(c);
        }
        return out.toString();
    }

    /** ASCII-only lower case, so that 8-bit octets held as ISO-8859-1 stay as they are. */
    public static String asciiLower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return out.toString();
    }
}
