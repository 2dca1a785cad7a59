package org.sealpost.signing.authres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link AuthenticationResultsPayload#parse} on arbitrary text (the octets read as UTF-8).
 * Properties: nothing is thrown; the same text gives the same authserv-id and results; a comment put
 * in front changes neither (RFC 8601 2.2: CFWS may lead); every result has a method and a result
 * that are lower-case Keywords; an authserv-id from text without quotes holds no white space and no ';'.
 * Seeds in src/test/resources/.../AuthenticationResultsPayloadFuzzTestInputs/payload;
 * signing/fuzz/run-fuzz.sh fuzzes.
 */
class AuthenticationResultsPayloadFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void payload(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        AuthenticationResultsPayload parsed = AuthenticationResultsPayload.parse(text);
        AuthenticationResultsPayload again = AuthenticationResultsPayload.parse(text);
        assertEquals(parsed.authservId(), again.authservId(), "not deterministic");
        assertEquals(parsed.results(), again.results(), "not deterministic");
        AuthenticationResultsPayload commented = AuthenticationResultsPayload.parse("(a comment) " + text);
        if (!text.strip().startsWith("\"") && balanced(text)) {
            assertEquals(parsed.authservId(), commented.authservId(), "a leading comment changed the authserv-id");
            assertEquals(parsed.results(), commented.results(), "a leading comment changed the results");
        }
        for (AuthenticationResultsPayload.Resinfo r : parsed.results()) {
            assertTrue(r.method().matches("[a-z0-9-]*[a-z0-9]"), "method " + r.method());
            assertTrue(r.result().matches("[a-z0-9-]*[a-z0-9]"), "result " + r.result());
        }
        if (text.indexOf('"') < 0) { // a token, not a quoted-string (which may hold anything)
            assertFalse(parsed.authservId().matches("(?s).*[ \\t\\r\\n;].*"), "authserv-id '" + parsed.authservId() + "'");
        }
    }

    /** Whether the text leaves no comment or quoted string open (then a comment in front is a comment). */
    private static boolean balanced(String text) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && (quoted || depth > 0)) {
                i++;
            } else if (quoted) {
                quoted = c != '"';
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == '"' && depth == 0) {
                quoted = true;
            }
        }
        return depth == 0 && !quoted;
    }
}
