package org.sealpost.signing.spf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fuzzes the macro-string parser and expander (RFC 7208 7). The input up to the first newline is
 * the macro-string; what follows, if anything, is used as the local part, the HELO name and a label
 * of the domain, so that the expander also splits text chosen by the fuzzer. Properties: parsing
 * throws only {@link SyntaxError}; explanation text (7.1) accepts all that a domain-spec's
 * macro-string accepts, with the same parts; an accepted string holds only printable ASCII (and
 * spaces in explanations); expanding never throws and is deterministic, for an IPv4 and an IPv6
 * client; a string without '%' expands to itself; an upper-case macro expands to unreserved
 * characters and %XX escapes only (7.3); a macro that splits on '.' alone keeps a suffix of the
 * value on a label boundary, or its labels reversed. Seeds: the macro-strings of the openspf suite
 * and of RFC 7208 7.4, in src/test/resources/.../MacroStringFuzzTestInputs/expand.
 */
class MacroStringFuzzTest {

    /** Unreserved characters and %XX escapes; possessive, so that a long expansion needs no deep stack. */
    private static final Pattern ESCAPED = Pattern.compile("(?:[A-Za-z0-9._~-]++|%[0-9A-F]{2})*+");

    @FuzzTest(maxDuration = "5m")
    void expand(byte[] input) throws Exception {
        String whole = new String(input, StandardCharsets.UTF_8);
        int newline = whole.indexOf('\n');
        String text = newline < 0 ? whole : whole.substring(0, newline);
        String extra = newline < 0 ? "strong-bad" : whole.substring(newline + 1);
        MacroString domain = parsed(text, false);
        MacroString explanation = parsed(text, true);
        if (domain != null) {
            assertTrue(explanation != null && explanation.parts().equals(domain.parts()),
                    "explanation text refuses or reads differently what a domain-spec accepts: " + text);
            assertTrue(text.chars().allMatch(c -> c >= 0x21 && c <= 0x7e), "accepted a character outside"
                    + " printable ASCII: " + text);
        }
        if (explanation == null) {
            return;
        }
        assertTrue(text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), "accepted explanation text with a"
                + " character outside printable ASCII: " + text);
        for (MacroValues values : List.of(values("192.0.2.3", extra), values("2001:db8::cb01", extra))) {
            String expanded = explanation.expand(values);
            assertEquals(expanded, explanation.expand(values), "expanding is not deterministic");
            if (text.indexOf('%') < 0) {
                assertEquals(text, expanded);
            }
            for (MacroString.Part part : explanation.parts()) {
                if (part instanceof MacroString.Macro macro) {
                    check(macro, values);
                }
            }
        }
    }

    private static void check(MacroString.Macro macro, MacroValues values) {
        String expanded = new MacroString("", List.of(macro)).expand(values);
        String value = values.value(Character.toLowerCase(macro.letter()));
        if (macro.escape()) {
            assertTrue(ESCAPED.matcher(expanded).matches(), macro + " gave unescaped characters: " + expanded);
            return;
        }
        if (!macro.delimiters().equals(".")) {
            return;
        }
        List<String> labels = new ArrayList<>(List.of(value.split("\\.", -1)));
        if (macro.reverse()) {
            Collections.reverse(labels);
        }
        String all = String.join(".", labels);
        assertTrue(all.endsWith(expanded) && (expanded.length() == all.length()
                || all.charAt(all.length() - expanded.length() - 1) == '.'), macro + " of " + value + " gave " + expanded);
        int kept = expanded.split("\\.", -1).length;
        assertTrue(macro.keep() == 0 ? kept == labels.size() : kept == Math.min(macro.keep(), labels.size()),
                macro + " of " + value + " kept " + kept + " parts: " + expanded);
    }

    private static MacroString parsed(String text, boolean explanation) {
        try {
            return MacroString.parse(text, explanation);
        } catch (SyntaxError e) {
            return null;
        }
    }

    private static MacroValues values(String ip, String extra) throws Exception {
        return new MacroValues(extra + "@email.example.com", extra + ".email.example.com", InetAddress.getByName(ip),
                extra, "mx." + extra + ".example.org", "receiver.example.net", 1_800_000_000L);
    }
}
