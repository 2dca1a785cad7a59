package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateKey;
import org.junit.jupiter.api.Test;

/** Key files in, key pairs and records out. */
class DkimKeysTest {

    @Test
    void generatedRsaKey_roundTripsThroughPkcs8Pem() throws Exception {
        GeneratedKey key = DkimKeys.generate(KeyType.RSA, 1024);
        assertTrue(key.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertEquals(key.privateKey(), DkimKeys.readPrivateKey(key.privateKeyPem()));
        assertEquals(1024, ((RSAPrivateKey) key.privateKey()).getModulus().bitLength());
        assertTrue(key.txtRecord().startsWith("v=DKIM1; k=rsa; p=MIGf"));
        assertEquals(key.txtRecord(), DkimKeys.txtRecord(KeyType.RSA, DkimKeys.publicKey(key.privateKey())));
    }

    @Test
    void generatedEd25519Key_recordHoldsTheRaw32Octets() throws Exception {
        GeneratedKey key = DkimKeys.generate(KeyType.ED25519, 0);
        String p = key.txtRecord().substring(key.txtRecord().indexOf("p=") + 2);
        assertEquals(32, java.util.Base64.getDecoder().decode(p).length);
        assertEquals(key.privateKey(), DkimKeys.readPrivateKey(key.privateKeyPem()));
        assertEquals(key.txtRecord(), DkimKeys.txtRecord(KeyType.ED25519, DkimKeys.publicKey(key.privateKey())));
    }

    @Test
    void rsaUnder1024Bits_isNotGenerated() {
        assertThrows(IllegalArgumentException.class, () -> DkimKeys.generate(KeyType.RSA, 768));
    }

    @Test
    void longRecord_splitsIntoStringsOf255() throws Exception {
        GeneratedKey key = DkimKeys.generate(KeyType.RSA, 2048);
        assertTrue(key.txtRecord().length() > 255);
        assertEquals(key.txtRecord(), String.join("", key.txtStrings()));
        key.txtStrings().forEach(s -> assertTrue(s.length() <= 255));
        assertTrue(key.zoneFileLine("sel").startsWith("sel._domainkey IN TXT ( \"v=DKIM1; k=rsa; p="));
    }

    @Test
    void rfc8032Seed_givesThePublishedPublicKey() throws Exception {
        // RFC 8032 7.1 TEST 1, the key of RFC 8463 A.2.
        var key = DkimKeys.readPrivateKey("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=");
        assertEquals("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
                DkimKeys.txtRecord(KeyType.ED25519, DkimKeys.publicKey(key)));
    }

    @Test
    void garbage_isRefusedWithTheExpectedForms() {
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> DkimKeys.readPrivateKey("hello"));
        assertTrue(e.getMessage().contains("BEGIN PRIVATE KEY"));
        assertThrows(GeneralSecurityException.class, () -> DkimKeys.readPrivateKey(
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"));
    }
}
