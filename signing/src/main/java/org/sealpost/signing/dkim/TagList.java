package org.sealpost.signing.dkim;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tag=value list (RFC 6376 3.2), in the order written. Tag names are case-sensitive; values keep
 * their inner whitespace, with surrounding folding whitespace removed.
 */
public record TagList(Map<String, String> tags) {

    public TagList {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** Parses strictly: a tag without "=", an empty tag-spec, a bad name or a duplicate tag is an error. */
    public static TagList parse(String text) throws DkimPermanentError {
        Map<String, String> tags = new LinkedHashMap<>();
        if (isBlank(text)) {
            return new TagList(tags);
        }
        String[] specs = text.split(";", -1);
        for (int i = 0; i < specs.length; i++) {
            String spec = specs[i];
            if (isBlank(spec)) {
                // RFC 6376 3.2: the list may end with ";"; an empty spec anywhere else is a syntax error.
                if (i == specs.length - 1 && i > 0) {
                    continue;
                }
                throw new DkimPermanentError("tag list syntax: empty tag at position " + (i + 1));
            }
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new DkimPermanentError("tag list syntax: \"" + trim(spec) + "\" has no '='");
            }
            String name = trim(spec.substring(0, eq));
            if (!validName(name)) {
                throw new DkimPermanentError("tag list syntax: bad tag name \"" + name + "\"");
            }
            String value = trim(spec.substring(eq + 1));
            for (int c = 0; c < value.length(); c++) {
                char ch = value.charAt(c);
                if (ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n' || ch == 0x7f) {
                    throw new DkimPermanentError("tag list syntax: control character in " + name + "=");
                }
            }
            if (tags.putIfAbsent(name, value) != null) {
                // RFC 6376 3.2: tags with duplicate names MUST NOT occur; such a list is invalid.
                throw new DkimPermanentError("tag list syntax: duplicate tag " + name + "=");
            }
        }
        return new TagList(tags);
    }

    public String get(String name) {
        return tags.get(name);
    }

    public boolean has(String name) {
        return tags.containsKey(name);
    }

    /** The name of the first tag, or "" for an empty list. */
    String first() {
        return tags.isEmpty() ? "" : tags.keySet().iterator().next();
    }

    // RFC 6376 3.2: tag-name = ALPHA *ALNUMPUNC, ALNUMPUNC = ALPHA / DIGIT / "_"
    private static boolean validName(String name) {
        if (name.isEmpty() || !isAlpha(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    public static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    public static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isFws(s.charAt(start))) {
            start++;
        }
        while (end > start && isFws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** The value with all folding whitespace removed, as base64 values are read (RFC 6376 3.5 b=, bh=; 3.6.1 p=). */
    public static String withoutFws(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (!isFws(s.charAt(i))) {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }

    /** A base64 tag value, folding whitespace ignored (RFC 6376 3.5 b=, bh=; 3.6.1 p=). */
    public static byte[] base64(String value, String tag) throws DkimPermanentError {
        try {
            return Base64.getDecoder().decode(withoutFws(value));
        } catch (IllegalArgumentException e) {
            throw new DkimPermanentError(tag + "= is not valid base64");
        }
    }

    /** A domain or selector: dot-separated labels of letters, digits, '-' and '_', 1-63 octets each. */
    public static boolean isDomain(String name) {
        if (name == null || name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isBlank(String s) {
        return trim(s).isEmpty();
    }
}
