package org.sealpost.signing.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The tag-value form of RFC 9989 4.8 read into a {@link DmarcRecord}. */
final class RecordParser {

    private RecordParser() {
    }

    static Optional<DmarcRecord> parse(String text) {
        String[] parts = text.split(";", -1);
        // RFC 9989 4.7 v=: the first tag, value exactly "DMARC1" (case-sensitive, %s in the ABNF);
        // the tag name "v" is an ABNF string and so case-insensitive. Otherwise the record is ignored.
        String[] version = tag(parts[0]);
        if (version == null || !version[0].equalsIgnoreCase("v") || !version[1].equals("DMARC1")) {
            return Optional.empty();
        }
        // Tag names are compared in lower case; a repeated tag keeps its first value. A part that is
        // not name=value is a syntax error, discarded (RFC 9989 4.8).
        Map<String, String> tags = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] tag = tag(parts[i]);
            if (tag != null) {
                tags.putIfAbsent(tag[0].toLowerCase(Locale.ROOT), tag[1]);
            }
        }
        List<String> problems = new ArrayList<>();
        Optional<Policy> p = policy(tags, "p", problems);
        if (!tags.containsKey("p")) {
            problems.add("no p= tag");
        }
        Optional<Policy> sp = policy(tags, "sp", problems);
        Optional<Policy> np = policy(tags, "np", problems);
        return Optional.of(new DmarcRecord(text, p, sp, np, psd(tags.get("psd")), "y".equalsIgnoreCase(tags.get("t")),
                alignment(tags.get("adkim")), alignment(tags.get("aspf")), tags.getOrDefault("rua", ""),
                tags.getOrDefault("ruf", ""), tags.getOrDefault("fo", ""), problems));
    }

    /** name and value of "*WSP name *WSP = *WSP value *WSP", or null when the part is not of that form. */
    private static String[] tag(String part) {
        int equals = part.indexOf('=');
        if (equals < 0) {
            return null;
        }
        String name = wsp(part.substring(0, equals));
        String value = wsp(part.substring(equals + 1));
        if (name.isEmpty() || value.isEmpty() || !name.chars().allMatch(c -> c < 128 && Character.isLetter(c))) {
            return null;
        }
        return new String[] {name, value};
    }

    /**
     * The text without the *WSP around it: SP and HTAB only (RFC 9989 4.8, RFC 5234 B.1), not every
     * character Java counts as white space (U+001C to U+001F, line breaks).
     */
    private static String wsp(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return text.substring(start, end);
    }

    private static Optional<Policy> policy(Map<String, String> tags, String name, List<String> problems) {
        String value = tags.get(name);
        if (value == null) {
            return Optional.empty();
        }
        Optional<Policy> policy = Policy.of(value);
        if (policy.isEmpty()) {
            problems.add(name + "=" + value + " is not none, quarantine or reject");
        }
        return policy;
    }

    private static Psd psd(String value) {
        if (value == null) {
            return Psd.UNKNOWN;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "y" -> Psd.YES;
            case "n" -> Psd.NO;
            default -> Psd.UNKNOWN;
        };
    }

    private static Alignment alignment(String value) {
        return "s".equalsIgnoreCase(value) ? Alignment.STRICT : Alignment.RELAXED;
    }

    /**
     * Whether a dmarc-urilist holds at least one URI with a scheme (RFC 9989 4.8; the obsolete
     * "!size" suffix is dropped first).
     */
    static boolean hasValidUri(String list) {
        for (String item : list.split(",")) {
            String uri = item.strip();
            int bang = uri.lastIndexOf('!');
            if (bang > 0) {
                uri = uri.substring(0, bang);
            }
            try {
                URI parsed = new URI(uri);
                if (parsed.getScheme() != null && parsed.getSchemeSpecificPart() != null
                        && !parsed.getSchemeSpecificPart().isEmpty()) {
                    return true;
                }
            } catch (URISyntaxException e) {
                // not a URI; the next one may be
            }
        }
        return false;
    }
}
