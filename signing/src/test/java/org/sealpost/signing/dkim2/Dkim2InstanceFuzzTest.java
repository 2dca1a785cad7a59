package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.sealpost.signing.dkim.HeaderField;

/**
 * Fuzzes {@link Dkim2Wire#parseInstance} on arbitrary Message-Instance values. Properties: only
 * {@link Dkim2PermanentError} escapes; parsing is deterministic; an accepted field has m= of at least
 * 1 and at least one hash-set, no hash name twice, sha256 and sha512 hashes of 32 and 64 octets; the
 * field written back from it parses to the same values.
 * Seeds: src/test/resources/.../dkim2/Dkim2InstanceFuzzTestInputs/instanceField.
 */
class Dkim2InstanceFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void instanceField(byte[] input) throws Exception {
        HeaderField field = HeaderField.of(Dkim2Wire.INSTANCE_FIELD + ":" + new String(input, StandardCharsets.ISO_8859_1));
        String outcome = outcome(field);
        assertEquals(outcome, outcome(field), "parsing is not deterministic");
        if (outcome.startsWith("refused: ")) {
            return;
        }
        MessageInstance mi = Dkim2Wire.parseInstance(field);
        assertTrue(mi.m() >= 1 && !mi.hashes().isEmpty(), outcome);
        Set<String> names = new HashSet<>();
        for (InstanceHash hash : mi.hashes()) {
            assertTrue(names.add(hash.algorithm()), "hash name twice: " + outcome);
            if (hash.algorithm().equals(Dkim2Wire.SHA256) || hash.algorithm().equals(Dkim2Wire.SHA512)) {
                int size = hash.algorithm().equals(Dkim2Wire.SHA256) ? 32 : 64;
                assertTrue(hash.headerHash().length == size && hash.bodyHash().length == size, outcome);
            }
        }
        String written = Dkim2Wire.formatInstance(mi.m(), mi.hashes(), mi.recipe().orElse(null));
        if (mi.recipe().isEmpty() || new String(mi.recipe().get().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .equals(mi.recipe().get()) && !mi.recipe().get().contains("\uFFFD")) {
            // The recipe is kept as UTF-8 text; octets that are not UTF-8 cannot come back the same.
            assertEquals(outcome, outcome(HeaderField.of(written)), "the field written back reads differently");
        }
    }

    private static String outcome(HeaderField field) {
        try {
            MessageInstance mi = Dkim2Wire.parseInstance(field);
            return mi.m() + "|" + mi.hashes() + "|" + mi.recipe();
        } catch (Dkim2PermanentError e) {
            return "refused: " + e.getMessage();
        }
    }
}
