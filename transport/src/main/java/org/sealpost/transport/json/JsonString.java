package org.sealpost.transport.json;

/**
 * A JSON string (RFC 8259 7), for the little JSON Sealpost writes itself (`sealpost queue list --json`,
 * TLS-RPT reports): quotes, backslashes and control characters escaped, everything else as it is.
 */
public final class JsonString {

    private JsonString() {
    }

    public static String of(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
