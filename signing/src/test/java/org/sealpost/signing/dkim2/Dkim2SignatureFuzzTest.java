package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sealpost.signing.dkim.HeaderField;

/**
 * Fuzzes {@link Dkim2Wire#parseSignature} on arbitrary DKIM2-Signature values. Properties: only
 * {@link Dkim2PermanentError} escapes; parsing is deterministic; an accepted field has i= and m= of
 * at least 1, a valid d=, either nd= or mf= with at least one rt=, n= of at most 64 characters,
 * sig-sets with distinct selectors; the field written back from it parses to the same values, and
 * its -06 9.6 form with the signatures emptied is that of the field written with empty signatures.
 * Seeds: src/test/resources/.../dkim2/Dkim2SignatureFuzzTestInputs/signatureField.
 */
class Dkim2SignatureFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void signatureField(byte[] input) throws Exception {
        HeaderField field = HeaderField.of(Dkim2Wire.SIGNATURE_FIELD + ":" + new String(input, StandardCharsets.ISO_8859_1));
        String outcome = outcome(field);
        assertEquals(outcome, outcome(field), "parsing is not deterministic");
        if (outcome.startsWith("refused: ")) {
            assertNotEquals("refused: ", outcome, "an error without a reason");
            return;
        }
        Dkim2Signature sig = Dkim2Wire.parseSignature(field);
        assertTrue(sig.i() >= 1 && sig.m() >= 1, outcome);
        assertTrue(Dkim2Wire.isDomain(sig.domain()), outcome);
        assertTrue(sig.nextDomain().isPresent() != sig.mailFrom().isPresent(), outcome);
        assertTrue(sig.nextDomain().isPresent() || !sig.rcptTo().isEmpty(), outcome);
        assertTrue(sig.nonce().map(String::length).orElse(0) <= Dkim2Wire.MAX_NONCE, outcome);
        Set<String> selectors = new HashSet<>();
        for (SigSet set : sig.sigSets()) {
            assertTrue(selectors.add(Dkim2Wire.lower(set.selector())), "duplicate selector accepted: " + outcome);
        }

        String written = Dkim2Wire.formatSignature(sig);
        Dkim2Signature back = Dkim2Wire.parseSignature(HeaderField.of(written));
        assertEquals(outcome, outcome(HeaderField.of(written)), "the field written back reads differently");
        List<SigSet> empty = sig.sigSets().stream().map(s -> new SigSet(s.selector(), s.algorithm(), new byte[0])).toList();
        String unsigned = Dkim2Wire.formatSignature(new Dkim2Signature(back.i(), back.m(), back.timestamp(), back.nonce(),
                back.mailFrom(), back.rcptTo(), back.nextDomain(), back.domain(), empty, back.flags(), null));
        assertEquals(Dkim2Wire.signingForm(unsigned, true), Dkim2Wire.signingForm(written, true));
    }

    private static String outcome(HeaderField field) {
        try {
            Dkim2Signature s = Dkim2Wire.parseSignature(field);
            return String.join("|", Integer.toString(s.i()), Integer.toString(s.m()), Long.toString(s.timestamp()),
                    s.nonce().toString(), s.mailFrom().toString(), s.rcptTo().toString(), s.nextDomain().toString(),
                    s.domain(), s.sigSets().toString(), s.flags().toString());
        } catch (Dkim2PermanentError e) {
            return "refused: " + e.getMessage();
        }
    }
}
