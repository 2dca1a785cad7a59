package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Fuzzes {@link DkimSignature#parse} on arbitrary DKIM-Signature values, strict and legacy.
 * Properties: only {@link DkimPermanentError} escapes; parsing is deterministic; whatever strict
 * mode accepts legacy mode accepts too; an accepted signature has a valid d=, an i= in d=, From in
 * h= and a non-empty b=; and the field with b= emptied for hashing (RFC 6376 3.7) parses to the
 * same tags with b= empty. Seeds: src/test/resources/.../DkimSignatureFuzzTestInputs/signatureField.
 */
class DkimSignatureFuzzTest {

    private static final Instant NOW = Instant.ofEpochSecond(1667843664);

    @FuzzTest(maxDuration = "5m")
    void signatureField(byte[] input) throws Exception {
        HeaderField field = HeaderField.of(DkimSignature.HEADER + ":" + new String(input, StandardCharsets.ISO_8859_1));
        String strict = outcome(field, false);
        assertEquals(strict, outcome(field, false), "parsing is not deterministic");
        String legacy = outcome(field, true);
        if (!strict.startsWith("refused")) {
            assertEquals(strict, legacy, "legacy mode judges a strictly valid signature differently");
        }
        if (legacy.startsWith("refused")) {
            return;
        }
        DkimSignature sig = DkimSignature.parse(field, true, NOW, Duration.ofMinutes(5));
        assertTrue(DkimSignature.isDomain(sig.domain()) && DkimSignature.isDomain(sig.selector()), sig::toString);
        String idDomain = Canonicalization.asciiLower(sig.identity().substring(sig.identity().lastIndexOf('@') + 1));
        String d = Canonicalization.asciiLower(sig.domain());
        assertTrue(idDomain.equals(d) || idDomain.endsWith("." + d), "i= outside d=: " + sig.identity());
        assertTrue(sig.signedHeaders().stream().anyMatch(h -> h.equalsIgnoreCase("From")), "h= without From");
        assertTrue(sig.signature().length > 0, "empty b=");

        Map<String, String> expected = new HashMap<>(sig.tags().tags());
        expected.put("b", "");
        HeaderField emptied = HeaderField.of(HeaderHash.withEmptySignature(field.raw()));
        assertEquals(expected, TagList.parse(emptied.value()).tags(), "b= emptied for hashing changed other tags");
    }

    private static String outcome(HeaderField field, boolean legacy) {
        try {
            DkimSignature s = DkimSignature.parse(field, legacy, NOW, Duration.ofMinutes(5));
            return String.join("|", s.algorithm().name(), s.headerCanonicalization() + "/" + s.bodyCanonicalization(),
                    s.domain(), s.selector(), s.signedHeaders().toString(), s.identity(), Long.toString(s.bodyLength()),
                    Long.toString(s.timestamp()), Long.toString(s.expiration()),
                    Base64.getEncoder().encodeToString(s.bodyHash()),
                    Base64.getEncoder().encodeToString(s.signature()), Boolean.toString(s.draft()));
        } catch (DkimPermanentError e) {
            return "refused: " + e.getMessage();
        }
    }
}
