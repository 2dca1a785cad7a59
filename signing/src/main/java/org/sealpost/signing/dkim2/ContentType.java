package org.sealpost.signing.dkim2;

import java.util.Locale;

/**
 * The media type and boundary of a Content-Type value (RFC 2045 5.1), read leniently: a value that
 * does not parse is text/plain (RFC 2045 5.2), the type as it would be shown.
 */
record ContentType(String type, String boundary) {

    static final ContentType TEXT_PLAIN = new ContentType("text/plain", null);
    static final ContentType MESSAGE_RFC822 = new ContentType("message/rfc822", null);

    boolean isMultipart() {
        return type.startsWith("multipart/");
    }

    /** The value of a Content-Type field (after the colon, unfolded), or the default when it does not parse. */
    static ContentType parse(String value, ContentType fallback) {
        Scanner in = new Scanner(value);
        String major = in.token();
        if (major == null || !in.skip('/')) {
            return fallback;
        }
        String minor = in.token();
        if (minor == null) {
            return fallback;
        }
        String boundary = null;
        while (in.skip(';')) {
            String attribute = in.token();
            if (attribute == null || !in.skip('=')) {
                break; // a broken parameter ends the list; the type stands
            }
            String parameter = in.peekQuote() ? in.quoted() : in.token();
            if (parameter == null) {
                break;
            }
            if (boundary == null && attribute.equalsIgnoreCase("boundary")) {
                boundary = parameter;
            }
        }
        String type = (major + "/" + minor).toLowerCase(Locale.ROOT);
        // RFC 2046 5.1.1: a boundary is 1 to 70 characters; without a usable one a multipart is opaque.
        if (boundary != null && (boundary.isEmpty() || boundary.length() > 70)) {
            boundary = null;
        }
        return new ContentType(type, boundary);
    }

    /** RFC 2045 5.1 tokens, quoted-strings, and RFC 5322 comments and whitespace between them. */
    private static final class Scanner {
        private final String s;
        private int i;

        Scanner(String s) {
            this.s = s;
        }

        String token() {
            skipCfws();
            int start = i;
            while (i < s.length() && isTokenChar(s.charAt(i))) {
                i++;
            }
            return i == start ? null : s.substring(start, i);
        }

        boolean skip(char c) {
            skipCfws();
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        boolean peekQuote() {
            skipCfws();
            return i < s.length() && s.charAt(i) == '"';
        }

        String quoted() {
            StringBuilder out = new StringBuilder();
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\' && i < s.length()) {
                    c = s.charAt(i++);
                }
                out.append(c);
            }
            return null; // unterminated
        }

        private void skipCfws() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    i++;
                } else if (c == '(') {
                    int depth = 0;
                    while (i < s.length()) {
                        char d = s.charAt(i++);
                        if (d == '\\') {
                            i++;
                        } else if (d == '(') {
                            depth++;
                        } else if (d == ')' && --depth == 0) {
                            break;
                        }
                    }
                } else {
                    return;
                }
            }
        }

        private static boolean isTokenChar(char c) {
            return c > 32 && c < 127 && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
        }
    }
}
