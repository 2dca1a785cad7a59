package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import org.junit.jupiter.api.Test;

/** The per-thread Signature objects: keys of different providers and types, one after another on one thread. */
class AlgorithmTest {

    private static final byte[] DATA = "from:a@example.org\r\nsubject:x\r\ndkim-signature:v=1; b=".getBytes(StandardCharsets.US_ASCII);

    @Test
    void keysOfEveryProvider_signAndVerifyInTurn_onOneThread() throws Exception {
        // The JDK's own RSA key, the same key read back through the first provider's KeyFactory
        // (ACCP where it is installed), and an Ed25519 key: the thread's object is bound to the
        // first key's provider, and must still take the others.
        KeyPair jdk = KeyPairGenerator.getInstance("RSA", "SunRsaSign").generateKeyPair();
        KeyPair reread = new KeyPair(jdk.getPublic(), KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(jdk.getPrivate().getEncoded())));
        KeyPair other = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        for (int round = 0; round < 3; round++) {
            for (KeyPair pair : new KeyPair[] {jdk, reread, other}) {
                byte[] signature = Algorithm.RSA_SHA256.sign(pair.getPrivate(), DATA);
                assertTrue(Algorithm.RSA_SHA256.verify(pair.getPublic(), DATA, signature));
                assertFalse(Algorithm.RSA_SHA256.verify(pair == other ? jdk.getPublic() : other.getPublic(), DATA, signature),
                        "another key's signature never verifies");
            }
            byte[] signature = Algorithm.ED25519_SHA256.sign(ed.getPrivate(), DATA);
            assertTrue(Algorithm.ED25519_SHA256.verify(ed.getPublic(), DATA, signature));
            byte[] elsewhere = Algorithm.ED25519_SHA256.sign(ed.getPrivate(), "other data".getBytes(StandardCharsets.US_ASCII));
            assertFalse(Algorithm.ED25519_SHA256.verify(ed.getPublic(), DATA, elsewhere), "a signature of other data");
        }
    }
}
