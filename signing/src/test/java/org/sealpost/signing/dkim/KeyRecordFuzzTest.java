package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Fuzzes {@link KeyRecord#parse} on arbitrary TXT record text, strict and legacy. Properties: only
 * {@link DkimPermanentError} escapes (the JDK's key factories included); parsing is deterministic;
 * legacy mode accepts whatever strict mode accepts, with the same key; an accepted RSA key has at
 * least 1024 bits (512 in legacy mode); and the record Sealpost would publish for the parsed key
 * ({@link DkimKeys#txtRecord}) parses back to the same key. Seeds:
 * src/test/resources/.../KeyRecordFuzzTestInputs/keyRecord.
 */
class KeyRecordFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void keyRecord(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        String strict = outcome(text, false);
        assertEquals(strict, outcome(text, false), "parsing is not deterministic");
        String legacy = outcome(text, true);
        if (!strict.startsWith("refused")) {
            assertEquals(strict, legacy, "legacy mode reads a strictly valid record differently");
        }
        if (legacy.startsWith("refused")) {
            return;
        }
        KeyRecord key = KeyRecord.parse(text, true);
        if (key.type() == KeyType.RSA) {
            assertTrue(key.bits() >= (strict.startsWith("refused") ? 512 : 1024), "RSA key of " + key.bits() + " bits");
        }
        KeyRecord published = KeyRecord.parse(DkimKeys.txtRecord(key.type(), key.key()), true);
        assertEquals(publicKey(key), publicKey(published), "the published form reads back as another key");
    }

    private static String outcome(String text, boolean legacy) {
        try {
            return describe(KeyRecord.parse(text, legacy));
        } catch (DkimPermanentError e) {
            return "refused: " + e.getMessage();
        }
    }

    private static String describe(KeyRecord key) {
        return publicKey(key) + "|" + key.hashes() + "|" + key.testing() + "|" + key.strict() + "|" + key.granularity();
    }

    private static String publicKey(KeyRecord key) {
        return key.type() + "|" + key.bits() + "|" + Base64.getEncoder().encodeToString(key.key().getEncoded());
    }
}
