package org.sealpost.signing.authres;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The value of an Authentication-Results field (RFC 8601 2.2), or the payload of an
 * ARC-Authentication-Results field after its {@code i=} (RFC 8617 4.1.1): the authserv-id, then
 * one resinfo per check. Parsing never fails: the authserv-id is read even when what follows is
 * malformed (a receiver must recognise, and remove, a forged field that claims its authserv-id,
 * RFC 8601 5, however the rest is written), and a resinfo that does not parse is skipped.
 * Comments are dropped, quoted strings kept whole, folding is white space.
 */
public final class AuthenticationResultsPayload {

    /**
     * One resinfo: {@code method=result}, both lower case, the method without its version
     * ({@code dkim/1} is {@code dkim}).
     */
    public record Resinfo(String method, String result) {
    }

    private final String authservId;
    private final List<Resinfo> results;

    private AuthenticationResultsPayload(String authservId, List<Resinfo> results) {
        this.authservId = authservId;
        this.results = List.copyOf(results);
    }

    public static AuthenticationResultsPayload parse(String value) {
        List<String> parts = split(value);
        String head = parts.get(0).strip();
        // authserv-id = value: a token, or a quoted-string (RFC 8601 2.2, RFC 2045 5.1); a version may follow.
        String id;
        if (head.startsWith("\"")) {
            id = unquote(head);
        } else {
            int end = 0;
            while (end < head.length() && !isWhiteSpace(head.charAt(end))) {
                end++;
            }
            id = head.substring(0, end);
        }
        List<Resinfo> results = new ArrayList<>();
        for (String part : parts.subList(1, parts.size())) {
            resinfo(part).ifPresent(results::add);
        }
        return new AuthenticationResultsPayload(id, results);
    }

    /** The authserv-id as written (without quotes); "" when the value has none. */
    public String authservId() {
        return authservId;
    }

    /** Whether the field claims {@code id} as its authserv-id, compared without regard to case (RFC 8601 5). */
    public boolean claims(String id) {
        return !authservId.isEmpty() && authservId.equalsIgnoreCase(id);
    }

    public List<Resinfo> results() {
        return results;
    }

    /** The result of the first resinfo of {@code method} (lower case), if there is one. */
    public Optional<String> result(String method) {
        return results.stream().filter(r -> r.method().equalsIgnoreCase(method)).map(Resinfo::result).findFirst();
    }

    /** methodspec = method [ "/" version ] "=" result, then reasonspec and propspecs, which are not kept. */
    private static Optional<Resinfo> resinfo(String part) {
        String text = part.strip();
        int eq = text.indexOf('=');
        if (eq <= 0) {
            return Optional.empty(); // "none" (RFC 8601 2.2 no-result), or not a resinfo
        }
        String method = text.substring(0, eq).strip();
        int slash = method.indexOf('/');
        if (slash >= 0) {
            method = method.substring(0, slash).strip();
        }
        String rest = text.substring(eq + 1).strip();
        int end = 0;
        while (end < rest.length() && !isWhiteSpace(rest.charAt(end))) {
            end++;
        }
        String result = rest.substring(0, end);
        if (!isKeyword(method) || !isKeyword(result)) {
            return Optional.empty();
        }
        return Optional.of(new Resinfo(method.toLowerCase(Locale.ROOT), result.toLowerCase(Locale.ROOT)));
    }

    /** Keyword = ALPHA / DIGIT / "-" ending in ALPHA or DIGIT (RFC 8601 2.2, RFC 5321 4.1.2 Ldh-str). */
    private static boolean isKeyword(String text) {
        if (text.isEmpty() || text.charAt(text.length() - 1) == '-') {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Splits at each ";" outside comments and quoted strings; comments (nested, with quoted-pairs,
     * RFC 5322 3.2.2) become one space, so that what they separated stays apart.
     */
    private static List<String> split(String value) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && (quoted || depth > 0)) {
                if (quoted && i + 1 < value.length()) {
                    current.append(c).append(value.charAt(i + 1));
                }
                i++;
            } else if (quoted) {
                current.append(c);
                quoted = c != '"';
            } else if (depth > 0) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                if (depth == 0) {
                    current.append(' ');
                }
            } else if (c == '(') {
                depth = 1;
            } else if (c == '"') {
                quoted = true;
                current.append(c);
            } else if (c == ';') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(isWhiteSpace(c) ? ' ' : c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    /** The content of a quoted-string at the start of {@code text}, quoted-pairs resolved. */
    private static String unquote(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                out.append(text.charAt(++i));
            } else if (c == '"') {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isWhiteSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
