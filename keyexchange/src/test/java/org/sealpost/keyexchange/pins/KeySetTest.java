package org.sealpost.keyexchange.pins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeySetTest {

    private static KeyPair keys(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else if (algorithm.equals("RSA")) {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }

    private static KeySet signed(KeyPair current, KeyPair next, long serial) throws Exception {
        return KeySet.sign("mx.example.net", serial, Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-12-22T00:00:00Z"),
                "", List.of(KeySet.spkiSha256(current.getPublic())), List.of(KeySet.spkiSha256(next.getPublic())),
                List.of(new KeySet.Dkim("example.net", "sel2026", "ed25519")), current.getPrivate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"EC", "RSA", "Ed25519"})
    void signedSet_roundTripsThroughItsCanonicalForm_andVerifies(String algorithm) throws Exception {
        KeyPair current = keys(algorithm);
        KeySet set = signed(current, keys("EC"), 42);
        KeySet parsed = KeySet.parse(set.encode());
        assertEquals(set, parsed);
        assertEquals(set.hash(), parsed.hash());
        assertEquals(43, set.hash().length());
        assertTrue(parsed.signedBy(current.getPublic()));
    }

    @Test
    void canonicalText_isTheDocumentedOne() throws Exception {
        KeyPair current = keys("EC");
        KeySet set = signed(current, keys("EC"), 7);
        String text = new String(set.encode(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("xkeys 1\nhost mx.example.net\nserial 7\nnot-before 2026-11-22T00:00:00Z\n"
                + "not-after 2026-12-22T00:00:00Z\nprevious -\ntls-key spki-sha256 "), text);
        assertTrue(text.contains("\ndkim example.net sel2026 ed25519\nsignature ecdsa-p256-sha256 "), text);
    }

    @Test
    void anyChangedOctet_breaksTheSignatureOrTheForm() throws Exception {
        KeyPair current = keys("EC");
        byte[] octets = signed(current, keys("EC"), 42).encode();
        String text = new String(octets, StandardCharsets.UTF_8);
        KeySet forged = KeySet.parse(text.replace("serial 42", "serial 43").getBytes(StandardCharsets.UTF_8));
        assertFalse(forged.signedBy(current.getPublic()));
        assertNotEquals(KeySet.parse(octets).hash(), forged.hash());
    }

    @Test
    void signatureByAKeyOutsideTheSet_isRefused() throws Exception {
        KeyPair current = keys("EC");
        KeyPair stranger = keys("EC");
        KeySet set = KeySet.sign("mx.example.net", 1, Instant.parse("2026-11-22T00:00:00Z"),
                Instant.parse("2026-12-22T00:00:00Z"), "", List.of(KeySet.spkiSha256(current.getPublic())), List.of(),
                List.of(), stranger.getPrivate());
        assertFalse(set.signedBy(stranger.getPublic()), "the signing key is not one of the set's TLS keys");
        assertFalse(set.signedBy(current.getPublic()));
    }

    @Test
    void nonCanonicalInput_isRefusedWithTheReason() throws Exception {
        byte[] octets = signed(keys("EC"), keys("EC"), 42).encode();
        String text = new String(octets, StandardCharsets.UTF_8);
        assertThrows(InvalidKeySetException.class, () -> KeySet.parse(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
        String swapped = text.replaceFirst("(host [^\n]+\n)(serial [^\n]+\n)", "$2$1");
        InvalidKeySetException error = assertThrows(InvalidKeySetException.class,
                () -> KeySet.parse(swapped.getBytes(StandardCharsets.UTF_8)));
        assertTrue(error.getMessage().contains("expected the field 'host'"), error.getMessage());
        assertThrows(InvalidKeySetException.class, () -> KeySet.parse((text + "extra line\n").getBytes(StandardCharsets.UTF_8)));
        assertThrows(InvalidKeySetException.class, () -> KeySet.parse(text.replace("serial 42", "serial 042")
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void hash_isOverTheWholeSet_signatureIncluded() throws Exception {
        KeyPair current = keys("EC");
        KeySet set = signed(current, keys("EC"), 42);
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(set.encode());
        assertArrayEquals(digest, java.util.Base64.getUrlDecoder().decode(set.hash()));
    }
}
