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

    /** The example of docs/xkeys.md, signed with the Ed25519 key of RFC 8032 7.1 test 1 (deterministic). */
    @Test
    void documentedExample_encodesAndHashesAsTheDocsSay() throws Exception {
        java.security.KeyFactory ed25519 = java.security.KeyFactory.getInstance("Ed25519");
        java.util.HexFormat hex = java.util.HexFormat.of();
        java.security.PrivateKey key = ed25519.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(hex.parseHex(
                "302e020100300506032b657004220420" + "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")));
        java.security.PublicKey pub = ed25519.generatePublic(new java.security.spec.X509EncodedKeySpec(hex.parseHex(
                "302a300506032b6570032100" + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")));
        KeySet set = KeySet.sign("mx.example.net", 42, Instant.parse("2026-11-22T00:00:00Z"),
                Instant.parse("2026-12-22T00:00:00Z"), "", List.of(KeySet.spkiSha256(pub)),
                List.of("60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"),
                List.of(new KeySet.Dkim("example.net", "sel2026", "ed25519")), key);
        assertEquals("""
                xkeys 1
                host mx.example.net
                serial 42
                not-before 2026-11-22T00:00:00Z
                not-after 2026-12-22T00:00:00Z
                previous -
                tls-key spki-sha256 06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9
                next-key spki-sha256 60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752
                dkim example.net sel2026 ed25519
                signature ed25519 crlhQydrilKT4hEvFeqLeqhlmZQqXf3blE8ggggtY8SnvxJx317K2PAzRVjHOBpGny53gbfYVuUelSQX4FW3DQ==
                """, new String(set.encode(), StandardCharsets.UTF_8));
        assertEquals("iYFs7KAXjCH2vR_rC7LYFDfLkRLcQFf8oQCy00NBTIg", set.hash());
        assertEquals(423, set.encode().length);
        assertTrue(set.signedBy(pub));
    }
}
