package org.sealpost.signing.dmarc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fuzzes {@link DmarcRecord#parse} on arbitrary text (the octets read as UTF-8). Properties: nothing
 * is thrown (a record is taken or ignored, RFC 9989 4.8); the same text gives the same record; a
 * record is taken only when its first tag is v=DMARC1 with nothing but SP and HTAB around the name,
 * the "=" and the value (4.7, 4.8: WSP); a usable record has p=; rua=, ruf= and fo= hold no ";" and
 * no surrounding whitespace; and the record written back from its fields parses to the same fields.
 * Seeds: the fixtures of DmarcRecordTest and the records of the Knot lab, in
 * src/test/resources/.../DmarcRecordFuzzTestInputs/record; signing/fuzz/run-fuzz.sh fuzzes.
 */
class DmarcRecordFuzzTest {

    private static final Pattern VERSION = Pattern.compile("[ \\t]*[vV][ \\t]*=[ \\t]*DMARC1[ \\t]*(;.*)?",
            Pattern.DOTALL);

    @FuzzTest(maxDuration = "5m")
    void record(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Optional<DmarcRecord> parsed = DmarcRecord.parse(text);
        assertEquals(parsed, DmarcRecord.parse(text), "parsing is not deterministic");
        if (parsed.isEmpty()) {
            return;
        }
        DmarcRecord record = parsed.get();
        assertTrue(VERSION.matcher(text).matches(), "taken as a DMARC record without v=DMARC1 first: " + text);
        assertEquals(text, record.text());
        if (record.policyValid()) {
            assertTrue(record.policy().isPresent(), "usable without p=: " + text);
        }
        for (String value : List.of(record.rua(), record.ruf(), record.failureOptions())) {
            assertFalse(value.contains(";"), "a value holds ';': " + value);
            assertTrue(value.isEmpty() || !isWsp(value.charAt(0)) && !isWsp(value.charAt(value.length() - 1)),
                    "a value keeps surrounding whitespace: '" + value + "'");
        }
        String written = write(record);
        DmarcRecord again = DmarcRecord.parse(written).orElseThrow(() -> new AssertionError("written out as \""
                + written + "\" it is no DMARC record"));
        assertEquals(fields(record), fields(again), "written out as \"" + written + "\" it parses differently");
        if (record.policyValid()) {
            assertTrue(again.policyValid(), "written out as \"" + written + "\" it is no longer usable");
        }
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    /** The fields a receiver acts on (RFC 9989 4.7), without the text and the problems. */
    static List<Object> fields(DmarcRecord r) {
        return List.of(r.policy(), r.subdomainPolicy(), r.nonExistentPolicy(), r.psd(), r.testing(), r.dkimAlignment(),
                r.spfAlignment(), r.rua(), r.ruf(), r.failureOptions());
    }

    /** The record in the tag form of RFC 9989 4.8, valid tags only. */
    static String write(DmarcRecord r) {
        StringBuilder out = new StringBuilder("v=DMARC1");
        r.policy().ifPresent(p -> out.append("; p=").append(p.token()));
        r.subdomainPolicy().ifPresent(p -> out.append("; sp=").append(p.token()));
        r.nonExistentPolicy().ifPresent(p -> out.append("; np=").append(p.token()));
        if (r.psd() != Psd.UNKNOWN) {
            out.append("; psd=").append(r.psd() == Psd.YES ? "y" : "n");
        }
        if (r.testing()) {
            out.append("; t=y");
        }
        if (r.dkimAlignment() == Alignment.STRICT) {
            out.append("; adkim=s");
        }
        if (r.spfAlignment() == Alignment.STRICT) {
            out.append("; aspf=s");
        }
        for (String[] tag : new String[][] {{"rua", r.rua()}, {"ruf", r.ruf()}, {"fo", r.failureOptions()}}) {
            if (!tag[1].isEmpty()) {
                out.append("; ").append(tag[0]).append('=').append(tag[1]);
            }
        }
        return out.toString();
    }
}
