package org.sealpost.signing.dmarc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The record fixtures of src/test/resources/dmarc/records.tsv, one case per line. */
class DmarcRecordTest {

    static Stream<Arguments> fixtures() throws IOException {
        try (InputStream in = DmarcRecordTest.class.getResourceAsStream("/dmarc/records.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#") && !line.isBlank())
                    .map(line -> {
                        int tab = line.indexOf('\t');
                        return Arguments.of(line.substring(tab + 1), line.substring(0, tab));
                    }).toList().stream();
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("fixtures")
    void record_parsesAsTheFixtureSays(String text, String expected) {
        Optional<DmarcRecord> parsed = DmarcRecord.parse(text);
        if (expected.equals("ignored")) {
            assertTrue(parsed.isEmpty(), "not a DMARC record: " + text);
            return;
        }
        DmarcRecord record = parsed.orElseThrow(() -> new AssertionError("a DMARC record: " + text));
        Map<String, String> want = new HashMap<>();
        for (String word : expected.split(" ")) {
            want.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
        }
        Map<String, String> got = new HashMap<>();
        got.put("p", token(record.policy()));
        got.put("sp", token(record.subdomainPolicy()));
        got.put("np", token(record.nonExistentPolicy()));
        got.put("psd", switch (record.psd()) {
            case YES -> "y";
            case NO -> "n";
            case UNKNOWN -> "u";
        });
        got.put("t", record.testing() ? "y" : "n");
        got.put("adkim", record.dkimAlignment() == Alignment.STRICT ? "s" : "r");
        got.put("aspf", record.spfAlignment() == Alignment.STRICT ? "s" : "r");
        got.put("use", record.policyValid() ? "apply" : record.applicableAsNone() ? "none" : "no");
        want.forEach((key, value) -> assertEquals(value, got.get(key), key + " of " + text + " " + record.problems()));
        assertEquals(text, record.text());
    }

    @Test
    void reportingTags_areKeptAsText() {
        DmarcRecord record = DmarcRecord.parse("v=DMARC1; p=none; rua=mailto:a@example.com,mailto:b@example.net; "
                + "ruf=mailto:f@example.com; fo=0:d").orElseThrow();
        assertEquals("mailto:a@example.com,mailto:b@example.net", record.rua());
        assertEquals("mailto:f@example.com", record.ruf());
        assertEquals("0:d", record.failureOptions());
    }

    @Test
    void missingP_isNamedInTheProblems() {
        DmarcRecord record = DmarcRecord.parse("v=DMARC1; sp=reject").orElseThrow();
        assertEquals(java.util.List.of("no p= tag"), record.problems());
    }

    @Test
    void whitespaceOtherThanSpaceAndTab_isNotWsp() {
        // RFC 9989 4.8: WSP is SP and HTAB only (RFC 5234 B.1); Java's strip() also takes U+001C..U+001F
        // and line breaks. Found by DmarcRecordFuzzTest.
        assertTrue(DmarcRecord.parse("v=DMARC1\u001c; p=reject").isEmpty());
        assertTrue(DmarcRecord.parse("\u000bv=DMARC1; p=reject").isEmpty());
        DmarcRecord record = DmarcRecord.parse("v=DMARC1;\tp=reject\u001f; sp = none ").orElseThrow();
        assertEquals(Optional.empty(), record.policy(), "p=reject followed by U+001F is no valid p=");
        assertEquals(Optional.of(Policy.NONE), record.subdomainPolicy());
    }

    private static String token(Optional<Policy> policy) {
        return policy.map(Policy::token).orElse("-");
    }
}
