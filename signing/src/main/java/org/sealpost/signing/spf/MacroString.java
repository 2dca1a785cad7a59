package org.sealpost.signing.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A macro-string (RFC 7208 7.1), parsed once: literal text and macro-expands. The grammar is
 * checked at parse time, so that a bad record is a permerror before anything is looked up.
 */
record MacroString(String text, List<Part> parts) {

    /** A piece of a macro-string: literal text, or one %{...} expansion. */
    sealed interface Part permits Literal, Macro {
    }

    record Literal(String text) implements Part {
    }

    /**
     * %{letter digits r delimiters}: {@code keep} right-hand parts (0 for all), {@code reverse},
     * split on {@code delimiters}; an upper-case letter asks for URL escaping (7.3).
     */
    record Macro(char letter, int keep, boolean reverse, String delimiters, boolean escape) implements Part {
    }

    /** RFC 7208 7.1 toplabel: not all digits, no dash at either end. */
    private static final Pattern TOPLABEL = Pattern.compile(
            "(?i)([a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])");
    private static final String LETTERS = "slodiphv";
    private static final String EXP_LETTERS = "crt";
    private static final String DELIMITERS = ".-+,/_=";

    /** Parses a macro-string; {@code explanation} allows the c, r and t letters of exp text (7.1). */
    static MacroString parse(String text, boolean explanation) throws SyntaxError {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // RFC 7208 7.1: macro-literal is %x21-24 / %x26-7E; exp text may also hold spaces.
            if (c != '%') {
                if (c < 0x21 && !(explanation && c == ' ') || c > 0x7e) {
                    throw new SyntaxError("the character " + String.format("U+%04X", (int) c) + " is not allowed in '"
                            + text + "'");
                }
                literal.append(c);
                continue;
            }
            if (i + 1 >= text.length()) {
                throw new SyntaxError("'%' at the end of '" + text + "' (write %% for a percent sign)");
            }
            char next = text.charAt(++i);
            switch (next) {
                case '%' -> literal.append('%');
                case '_' -> literal.append(' ');
                case '-' -> literal.append("%20");
                case '{' -> {
                    int close = text.indexOf('}', i);
                    if (close < 0) {
                        throw new SyntaxError("'%{' without a closing '}' in '" + text + "'");
                    }
                    if (!literal.isEmpty()) {
                        parts.add(new Literal(literal.toString()));
                        literal.setLength(0);
                    }
                    parts.add(macro(text.substring(i + 1, close), explanation, text));
                    i = close;
                }
                default -> throw new SyntaxError("'%" + next + "' in '" + text
                        + "': a '%' is followed by '{', '%', '_' or '-' (RFC 7208 7.1)");
            }
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new MacroString(text, List.copyOf(parts));
    }

    /** A domain-spec (7.1): a macro-string that ends in a macro or in a valid top label. */
    static MacroString domainSpec(String text) throws SyntaxError {
        MacroString spec = parse(text, false);
        if (spec.parts.isEmpty()) {
            throw new SyntaxError("an empty domain name");
        }
        if (spec.parts.get(spec.parts.size() - 1) instanceof Literal end) {
            String name = end.text().endsWith(".") ? end.text().substring(0, end.text().length() - 1) : end.text();
            String top = name.substring(name.lastIndexOf('.') + 1);
            boolean onlyLiteral = spec.parts.size() == 1;
            if (onlyLiteral && !name.contains(".") || !TOPLABEL.matcher(top).matches()) {
                throw new SyntaxError("'" + text + "' is not a domain name: it must end in a top-level label such as"
                        + " 'com' (RFC 7208 7.1)");
            }
        }
        return spec;
    }

    private static Macro macro(String inside, boolean explanation, String text) throws SyntaxError {
        if (inside.isEmpty()) {
            throw new SyntaxError("'%{}' in '" + text + "' names no macro letter");
        }
        char letter = inside.charAt(0);
        char lower = Character.toLowerCase(letter);
        if (LETTERS.indexOf(lower) < 0 && EXP_LETTERS.indexOf(lower) < 0) {
            throw new SyntaxError("'%{" + inside + "}' in '" + text + "': '" + letter + "' is not a macro letter");
        }
        if (EXP_LETTERS.indexOf(lower) >= 0 && !explanation) {
            throw new SyntaxError("'%{" + inside + "}' in '" + text + "': the letters c, r and t are allowed only in"
                    + " explanation text (RFC 7208 7.1)");
        }
        int i = 1;
        // RFC 5234 B.1: DIGIT is 0-9 only, not every Unicode digit Character.isDigit takes.
        while (i < inside.length() && inside.charAt(i) >= '0' && inside.charAt(i) <= '9') {
            i++;
        }
        int keep = 0;
        if (i > 1) {
            // RFC 7208 7.1: a DIGIT transformer must be nonzero (0000 too); at least 128 parts must be supported.
            String digits = inside.substring(1, i).replaceFirst("^0+", "");
            keep = digits.isEmpty() ? 0 : digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
            if (keep == 0) {
                throw new SyntaxError("'%{" + inside + "}' in '" + text + "': the number of parts must not be zero");
            }
        }
        boolean reverse = i < inside.length() && Character.toLowerCase(inside.charAt(i)) == 'r';
        if (reverse) {
            i++;
        }
        String delimiters = inside.substring(i);
        for (char d : delimiters.toCharArray()) {
            if (DELIMITERS.indexOf(d) < 0) {
                throw new SyntaxError("'%{" + inside + "}' in '" + text + "': '" + d + "' is not a delimiter"
                        + " (one of " + DELIMITERS + ")");
            }
        }
        return new Macro(letter, keep, reverse, delimiters.isEmpty() ? "." : delimiters, Character.isUpperCase(letter));
    }

    /** Whether expanding needs the validated domain name of the client (%{p}), which costs lookups. */
    boolean needsValidatedName() {
        return parts.stream().anyMatch(p -> p instanceof Macro m && Character.toLowerCase(m.letter()) == 'p');
    }

    /** Expands with the values of the letters (7.2, 7.3). */
    String expand(MacroValues values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                out.append(literal.text());
            } else if (part instanceof Macro macro) {
                out.append(transform(macro, values.value(Character.toLowerCase(macro.letter()))));
            }
        }
        return out.toString();
    }

    /** Split on the delimiters, reverse if asked, keep the right-hand parts, join with dots (7.3). */
    private static String transform(Macro macro, String value) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (macro.delimiters().indexOf(value.charAt(i)) >= 0) {
                pieces.add(value.substring(start, i));
                start = i + 1;
            }
        }
        pieces.add(value.substring(start));
        if (macro.reverse()) {
            Collections.reverse(pieces);
        }
        if (macro.keep() > 0 && macro.keep() < pieces.size()) {
            pieces = pieces.subList(pieces.size() - macro.keep(), pieces.size());
        }
        String joined = String.join(".", pieces);
        return macro.escape() ? escape(joined) : joined;
    }

    /** RFC 7208 7.3: upper-case macros are URL-escaped, every character but the unreserved ones (RFC 3986 2.3). */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
