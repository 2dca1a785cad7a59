package org.sealpost.transport.smtp.server;

import java.util.Locale;

/**
 * The mailbox of a reverse-path or forward-path (RFC 5321 4.1.2), as the client wrote it:
 * {@code Local-part "@" (Domain / address-literal)}, where the local part is a Dot-string or a
 * Quoted-string. RFC 6531 3.3 adds UTF-8 to atext, qtext and the labels of the domain (whether
 * the transaction may carry it is the session's question). The domain is empty only for the bare
 * {@code <Postmaster>} of RFC 5321 4.5.1, and for the null reverse-path {@code <>}.
 *
 * @param localPart the local part exactly as written, quotes and quoted-pairs included
 * @param domain the domain or address literal as written, or ""
 */
record Mailbox(String localPart, String domain) {

    static final Mailbox NULL = new Mailbox("", "");

    /**
     * Parses a path without its angle brackets, e.g. {@code @a,@b:"john doe"@c}; null when it is not
     * well formed. A reverse-path may have empty atoms ({@code a..b@c}): such senders exist, and
     * refusing their mail would protect nothing (Postfix takes them too); a forward-path may not.
     */
    static Mailbox parsePath(String path, boolean reversePath) {
        String rest = path;
        if (rest.startsWith("@")) {
            // RFC 5321 4.1.1.3 and appendix C: a source route is ignored, what remains is the mailbox.
            int colon = rest.indexOf(':');
            if (colon < 0) {
                return null;
            }
            for (String hop : rest.substring(0, colon).split(",", -1)) {
                if (!hop.startsWith("@") || !isDomain(hop.substring(1))) {
                    return null;
                }
            }
            rest = rest.substring(colon + 1);
            if (rest.isEmpty()) {
                return null;
            }
        }
        if (rest.isEmpty()) {
            return NULL;
        }
        int end = rest.startsWith("\"") ? quotedStringEnd(rest) : dotStringEnd(rest, reversePath);
        if (end <= 0) {
            return null;
        }
        String local = rest.substring(0, end);
        if (end == rest.length()) {
            return new Mailbox(local, "");
        }
        String domain = rest.substring(end + 1);
        if (rest.charAt(end) != '@' || !(isDomain(domain) || isAddressLiteral(domain))) {
            return null;
        }
        return new Mailbox(local, domain);
    }

    /** The address as it goes into the queue and to the next hop. */
    String address() {
        return domain.isEmpty() ? localPart : localPart + "@" + domain;
    }

    boolean isNull() {
        return localPart.isEmpty();
    }

    /** The local part without quotes and quoted-pair backslashes: what the mailbox's owner sees. */
    String unquotedLocalPart() {
        if (!localPart.startsWith("\"")) {
            return localPart;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < localPart.length() - 1; i++) {
            char c = localPart.charAt(i);
            if (c == '\\') {
                c = localPart.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Whether a mail system that takes the local part as an address of its own would send the mail
     * elsewhere: an @ (quoted), the percent hack {@code u%other@here} (Postfix allow_percent_hack)
     * or a UUCP bang path {@code other!u@here} (Postfix swap_bangpath).
     */
    boolean routesElsewhere() {
        String local = unquotedLocalPart();
        return local.indexOf('@') >= 0 || local.indexOf('%') >= 0 || local.indexOf('!') >= 0;
    }

    /** The domain, lower case, for comparing with the local domains. */
    String domainLowerCase() {
        return domain.toLowerCase(Locale.ROOT);
    }

    boolean isAscii() {
        return address().chars().allMatch(c -> c < 128);
    }

    /**
     * Dot-string = Atom *("." Atom): the index after it, or -1. With {@code emptyAtoms}, dots may
     * also lead, trail or come twice.
     */
    private static int dotStringEnd(String text, boolean emptyAtoms) {
        int i = 0;
        boolean atext = false;
        while (i < text.length() && (isAtext(text.charAt(i)) || text.charAt(i) == '.')) {
            atext |= text.charAt(i) != '.';
            i++;
        }
        String local = text.substring(0, i);
        if (!atext || !emptyAtoms && (local.startsWith(".") || local.endsWith(".") || local.contains(".."))) {
            return -1;
        }
        return i;
    }

    /** Quoted-string = DQUOTE *(qtextSMTP / quoted-pairSMTP) DQUOTE: the index after it, or -1. */
    private static int quotedStringEnd(String text) {
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                // quoted-pairSMTP = %d92 %d32-126
                i++;
                if (i >= text.length() || text.charAt(i) < 32 || text.charAt(i) > 126) {
                    return -1;
                }
            } else if (!(c >= 32 && c <= 126) && c < 0x80) {
                return -1; // qtextSMTP is %d32-33 / %d35-91 / %d93-126, and UTF-8 under RFC 6531
            }
        }
        return -1;
    }

    private static boolean isAtext(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0
                || c >= 0x80;
    }

    /** Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str], no trailing dot. */
    static boolean isDomain(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (String label : text.split("\\.", -1)) {
            if (label.isEmpty() || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean letDig = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80;
                if (!letDig && c != '-') {
                    return false;
                }
            }
        }
        return true;
    }

    /** address-literal = "[" ( IPv4 / "IPv6:" IPv6 / tag ":" dcontent ) "]", dcontent = %d33-90 / %d94-126. */
    private static boolean isAddressLiteral(String text) {
        if (text.length() < 3 || text.charAt(0) != '[' || text.charAt(text.length() - 1) != ']') {
            return false;
        }
        String inner = text.substring(1, text.length() - 1);
        if (inner.indexOf(':') < 0) {
            return inner.matches("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
        }
        return inner.chars().allMatch(c -> c >= 33 && c <= 90 || c >= 94 && c <= 126);
    }
}
