package org.sealpost.transport.smtp.client;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A reply of the peer: its three-digit code and its lines of text (RFC 5321 4.2). */
record SmtpReply(int code, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s|$)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    boolean positive() {
        return code >= 200 && code < 400;
    }

    boolean temporary() {
        return code >= 400 && code < 500;
    }

    /** The RFC 3463 code the reply carries (RFC 2034), or one derived from the reply class. */
    String enhancedCode() {
        Matcher m = ENHANCED.matcher(lines.isEmpty() ? "" : lines.get(0));
        if (m.find() && m.group(1).charAt(0) == Integer.toString(code).charAt(0)) {
            return m.group(1) + "." + m.group(2) + "." + m.group(3);
        }
        return (code / 100) + ".0.0";
    }

    /** The whole reply on one line, as it goes into logs and bounce reports. */
    String text() {
        return code + " " + String.join(" ", lines).strip();
    }

    /** Whether an EHLO reply announces a keyword, e.g. "PIPELINING" or "SIZE". */
    boolean hasKeyword(String keyword) {
        return keywordValue(keyword) != null;
    }

    /** The parameter after an EHLO keyword ("" when it has none), or null when it is not announced. */
    String keywordValue(String keyword) {
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String[] words = WHITESPACE.split(line, 2);
            if (words[0].equalsIgnoreCase(keyword)) {
                return words.length > 1 ? words[1] : "";
            }
        }
        return null;
    }
}
