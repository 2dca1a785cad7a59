package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.KeyType;

/** ML-DSA-44 keys: the PEM that keygen writes is read back; any other key is refused with what it is. */
class Dkim2KeysTest {

    @Test
    void readMlDsa44_readsThePkcs8PemOfAGeneratedKey_andItsRecordParses() throws Exception {
        KeyPair pair = Dkim2Keys.generateMlDsa44();
        PrivateKey read = Dkim2Keys.readMlDsa44(DkimKeys.pemOf(pair.getPrivate()));
        assertEquals("ML-DSA-44", read.getAlgorithm());
        assertArrayEquals(pair.getPrivate().getEncoded(), read.getEncoded());
        String record = Dkim2Keys.mlDsa44Record(pair.getPublic());
        assertTrue(record.startsWith("v=DKIM1; k=mldsa44; p="), record);
        assertEquals("mldsa44", Dkim2KeyRecord.parse(record).keyType());
    }

    @Test
    void readMlDsa44_anotherKey_isRefusedNamingWhatItIs() throws Exception {
        String ed25519 = DkimKeys.generate(KeyType.ED25519, 0).privateKeyPem();
        assertEquals("an Ed25519 key, not ML-DSA-44", refusal(ed25519));
        KeyPair mlDsa65 = KeyPairGenerator.getInstance("ML-DSA-65", new BouncyCastleProvider()).generateKeyPair();
        assertEquals("an ML-DSA-65 key, not ML-DSA-44", refusal(DkimKeys.pemOf(mlDsa65.getPrivate())));
        assertTrue(refusal("k=mldsa44; p=...\n").startsWith("not a PEM key: "), refusal("k=mldsa44; p=...\n"));
        assertEquals("not a PKCS#8 private key", refusal("not a key\n"));
        assertEquals("no key in it", refusal(""));
        assertEquals("not a PKCS#8 private key", refusal("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
    }

    private static String refusal(String pem) {
        return assertThrows(GeneralSecurityException.class, () -> Dkim2Keys.readMlDsa44(pem)).getMessage();
    }
}
