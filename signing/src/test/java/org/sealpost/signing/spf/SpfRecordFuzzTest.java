package org.sealpost.signing.spf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link SpfRecord#parse} on arbitrary text (the octets read as UTF-8, so that characters
 * beyond ASCII reach the parser too; one that does not start with "v=spf1" gets that prefix).
 * Properties: only {@link SyntaxError} escapes (a permerror, RFC 7208 4.6); the same text gives the
 * same record or the same reason; an accepted record holds only printable ASCII and spaces (the
 * grammar of RFC 7208 4.6.1 and 7.1 has nothing else), CIDR lengths within 0..32 and 0..128, an
 * IPv4 network of 4 octets and an IPv6 one of 16; and the record written back from its terms
 * (directives, redirect=, exp=) parses to the same record. Seeds: every SPF record of the openspf
 * RFC 7208 suite, in src/test/resources/.../SpfRecordFuzzTestInputs/record; signing/fuzz/run-fuzz.sh fuzzes.
 */
class SpfRecordFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void record(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        if (!SpfRecord.isSpf(text)) {
            text = "v=spf1 " + text;
        }
        Object first = outcome(text);
        assertEquals(first, outcome(text), "parsing is not deterministic");
        if (!(first instanceof SpfRecord record)) {
            return;
        }
        assertTrue(text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), "accepted a record with a character outside"
                + " printable ASCII: " + text);
        for (Term.Directive directive : record.directives()) {
            assertTrue(directive.cidr4() >= 0 && directive.cidr4() <= 32 && directive.cidr6() >= 0
                    && directive.cidr6() <= 128, "CIDR lengths out of range: " + directive);
            if (directive.mechanism() == Term.Mechanism.IP4 || directive.mechanism() == Term.Mechanism.IP6) {
                assertEquals(directive.mechanism() == Term.Mechanism.IP4 ? 4 : 16, directive.network().getAddress().length,
                        "network of " + directive.text());
            }
            if (directive.mechanism() == Term.Mechanism.INCLUDE || directive.mechanism() == Term.Mechanism.EXISTS) {
                assertTrue(directive.domain() != null && !directive.domain().parts().isEmpty(), "no domain: " + directive);
            }
        }
        String written = write(record);
        assertEquals(record, outcome(written), "written out as \"" + written + "\" it parses differently");
    }

    /** The record, or the reason it was refused. */
    static Object outcome(String text) {
        try {
            return SpfRecord.parse(text);
        } catch (SyntaxError e) {
            return "refused: " + e.getMessage();
        }
    }

    /** The record as its terms, in order; unknown modifiers, which change nothing, are left out. */
    static String write(SpfRecord record) {
        StringBuilder out = new StringBuilder("v=spf1");
        record.directives().forEach(d -> out.append(' ').append(d.text()));
        if (record.redirect() != null) {
            out.append(" redirect=").append(record.redirect().text());
        }
        if (record.exp() != null) {
            out.append(" exp=").append(record.exp().text());
        }
        return out.toString();
    }
}
