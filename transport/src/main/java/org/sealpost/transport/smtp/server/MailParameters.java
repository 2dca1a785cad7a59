package org.sealpost.transport.smtp.server;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The path and ESMTP parameters of a MAIL FROM or RCPT TO command (RFC 5321 4.1.2):
 * {@code FROM:<path> KEY=VALUE KEY}. Keys are upper case; a parameter without value maps to "".
 */
record MailParameters(Mailbox mailbox, Map<String, String> parameters) {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** Parses the text after the verb, e.g. "FROM:<a@b> SIZE=10"; null when it is not well formed. */
    static MailParameters parse(String argument, String prefix) {
        String text = argument.strip();
        if (!text.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return null;
        }
        text = text.substring(prefix.length()).stripLeading();
        if (!text.startsWith("<")) {
            return null;
        }
        int close = closingBracket(text);
        if (close < 0) {
            return null;
        }
        Mailbox mailbox = Mailbox.parsePath(text.substring(1, close), prefix.equalsIgnoreCase("FROM:"));
        if (mailbox == null) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String token : WHITESPACE.split(text.substring(close + 1).trim())) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            String key = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (key.isEmpty() || parameters.containsKey(key)) {
                return null;
            }
            parameters.put(key, eq < 0 ? "" : token.substring(eq + 1));
        }
        return new MailParameters(mailbox, parameters);
    }

    /** The '>' that ends the path: a quoted local part may hold a '>' of its own. */
    private static int closingBracket(String text) {
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** The address as written, without the source route; "" for the null path. */
    String address() {
        return mailbox.address();
    }

    /**
     * RFC 3461 4: xtext, the form of ORCPT and ENVID: printable ASCII but "+" and "=", with "+" HEX HEX;
     * RFC 6533 4 adds UTF-8 for SMTPUTF8 addresses. Never a control octet.
     */
    static boolean isXtext(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+') {
                if (i + 2 >= value.length() || !isHex(value.charAt(i + 1)) || !isHex(value.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c < '!' || c == 0x7f || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'F';
    }
}
