package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 6376 3.6.1 key records, RFC 8463 4 Ed25519 keys, RFC 8301 3.2 key sizes. */
class KeyRecordTest {

    private static String rsa1024;
    private static String rsa512;
    private static String rsa1024Pkcs1;
    private static String ed25519;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        RSAPublicKey key = (RSAPublicKey) rsa.generateKeyPair().getPublic();
        rsa1024 = Base64.getEncoder().encodeToString(key.getEncoded());
        byte[] spki = key.getEncoded();
        // The PKCS#1 RSAPublicKey is the BIT STRING content at the end of a 1024-bit SPKI (22 octets of prefix).
        rsa1024Pkcs1 = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(spki, 22, spki.length));
        rsa.initialize(512);
        rsa512 = Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded());
        ed25519 = Base64.getEncoder().encodeToString(DkimKeys.rawEd25519(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()));
    }

    private static String reason(String record, boolean legacy) {
        return assertThrows(DkimPermanentError.class, () -> KeyRecord.parse(record, legacy)).getMessage();
    }

    private static DkimSignature signature(String tags) throws Exception {
        return DkimSignature.parse(HeaderField.of("DKIM-Signature: v=1; d=example.com; s=sel; h=from; bh=AAAA; b=AAAA; "
                + tags), true, Instant.now(), Duration.ofMinutes(5));
    }

    @Test
    void minimalRecord_isRsaWithDefaults() throws Exception {
        KeyRecord key = KeyRecord.parse("p=" + rsa1024, false);
        assertEquals(KeyType.RSA, key.type());
        assertEquals(1024, key.bits());
        assertFalse(key.testing());
    }

    @Test
    void sameRecordAgain_isTheKeyDecodedTheFirstTime() throws Exception {
        // Every message signed with a known key reaches here with the same record text: the key is
        // decoded once, and the provider's converted key object is reused.
        String record = "v=DKIM1; k=rsa; p=" + rsa1024;
        KeyRecord first = KeyRecord.parse(record, false);
        assertSame(first.key(), KeyRecord.parse(new String(record.toCharArray()), false).key());
        assertEquals(reason("p=" + rsa512, false), reason("p=" + rsa512, false));
    }

    @Test
    void legacyAndStrict_areKeptApart() throws Exception {
        // A 512-bit key is usable in legacy mode only: a record read in one mode never answers for the other.
        assertTrue(reason("p=" + rsa512, false).contains("RFC 8301"));
        assertEquals(512, KeyRecord.parse("p=" + rsa512, true).bits());
        assertTrue(reason("p=" + rsa512, false).contains("RFC 8301"));
    }

    @Test
    void pkcs1RsaPublicKey_isAcceptedToo() throws Exception {
        assertEquals(1024, KeyRecord.parse("v=DKIM1; p=" + rsa1024Pkcs1, false).bits());
    }

    @Test
    void version_mustBeFirstAndDkim1() {
        assertTrue(reason("k=rsa; v=DKIM1; p=" + rsa1024, false).contains("not the first tag"));
        assertTrue(reason("v=DKIM2; p=" + rsa1024, false).contains("version"));
    }

    @Test
    void unknownKeyType_isRefused() {
        assertTrue(reason("k=dsa; p=" + rsa1024, false).contains("unsupported key type k=dsa"));
    }

    @Test
    void serviceTypes_mustIncludeEmailOrStar() throws Exception {
        assertTrue(reason("s=tlsrpt; p=" + rsa1024, false).contains("s=tlsrpt"));
        KeyRecord.parse("s=email:tlsrpt; p=" + rsa1024, false);
        KeyRecord.parse("s=*; p=" + rsa1024, false);
    }

    @Test
    void emptyP_meansRevoked() {
        assertEquals("key revoked", reason("v=DKIM1; k=rsa; p=", false));
    }

    @Test
    void missingP_isRefused() {
        assertTrue(reason("v=DKIM1; k=rsa", false).contains("no p="));
    }

    @Test
    void rsaKeyUnder1024Bits_isRefusedUnlessLegacy() throws Exception {
        assertTrue(reason("p=" + rsa512, false).contains("RFC 8301"));
        assertEquals(512, KeyRecord.parse("p=" + rsa512, true).bits());
    }

    @Test
    void ed25519Key_mustBe32RawOctets() throws Exception {
        assertEquals(KeyType.ED25519, KeyRecord.parse("k=ed25519; p=" + ed25519, false).type());
        assertTrue(reason("k=ed25519; p=" + rsa1024, false).contains("32 octets"));
    }

    @Test
    void testingFlag_isReported() throws Exception {
        assertTrue(KeyRecord.parse("t=y:s; p=" + rsa1024, false).testing());
        assertTrue(KeyRecord.parse("t=y:s; p=" + rsa1024, false).strict());
    }

    @Test
    void hashList_mustIncludeTheSignaturesHash() throws Exception {
        KeyRecord key = KeyRecord.parse("h=sha1; p=" + rsa1024, false);
        DkimPermanentError e = assertThrows(DkimPermanentError.class,
                () -> key.checkFor(signature("a=rsa-sha256"), false));
        assertTrue(e.getMessage().contains("does not allow sha256"));
        KeyRecord.parse("h=sha1:sha256; p=" + rsa1024, false).checkFor(signature("a=rsa-sha256"), false);
    }

    @Test
    void keyType_mustMatchTheAlgorithm() throws Exception {
        KeyRecord key = KeyRecord.parse("k=ed25519; p=" + ed25519, false);
        assertThrows(DkimPermanentError.class, () -> key.checkFor(signature("a=rsa-sha256"), false));
    }

    @Test
    void strictFlag_refusesSubdomainIdentity() throws Exception {
        KeyRecord key = KeyRecord.parse("t=s; p=" + rsa1024, false);
        key.checkFor(signature("a=rsa-sha256; i=user@example.com"), false);
        DkimPermanentError e = assertThrows(DkimPermanentError.class,
                () -> key.checkFor(signature("a=rsa-sha256; i=user@sub.example.com"), false));
        assertTrue(e.getMessage().contains("t=s"));
    }

    @Test
    void unknownTags_areIgnored() throws Exception {
        KeyRecord.parse("v=DKIM1; n=notes here; x1=y; p=" + rsa1024, false);
    }
}
