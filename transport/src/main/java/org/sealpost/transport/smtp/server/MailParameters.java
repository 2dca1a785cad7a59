package org.sealpost.transport.smtp.server;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The path and ESMTP parameters of a MAIL FROM or RCPT TO command (RFC 5321 4.1.2):
 * {@code FROM:<path> KEY=VALUE KEY}. Keys are upper case; a parameter without value maps to "".
 */
record MailParameters(String address, Map<String, String> parameters) {

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
        int close = text.indexOf('>');
        if (close < 0) {
            return null;
        }
        String path = text.substring(1, close);
        // RFC 5321 4.1.2 and appendix C: a source route "@a,@b:user@c" is accepted and ignored.
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            if (colon < 0) {
                return null;
            }
            path = path.substring(colon + 1);
        }
        if (path.contains(" ") || path.contains("<")) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String token : text.substring(close + 1).trim().split("\\s+")) {
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
        return new MailParameters(path, parameters);
    }

    boolean isAscii() {
        return address.chars().allMatch(c -> c < 128);
    }

    /** The domain of the address, lower case, or "" when it has none. */
    String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** A plausible mailbox: local@domain with no control characters (the domain's validity is DNS's job). */
    boolean isMailbox() {
        int at = address.lastIndexOf('@');
        return at > 0 && at < address.length() - 1 && address.chars().noneMatch(c -> c < 0x21 || c == 0x7f);
    }
}
