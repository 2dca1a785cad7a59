package org.sealpost.signing.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.security.Signature;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;

/**
 * The providers this test run signs with, as InstalledForTests left them: ACCP where it loads in the
 * default run, the JDK's in the run with -Dsealpost.crypto=jdk. Nothing here changes the list.
 */
class ProvidersOfThisRunTest {

    private static final String ACCP = "AmazonCorrettoCryptoProvider";

    /** The run's own setting: unset in the default run, jdk in the second surefire run. */
    private static final String RUN = System.getProperty(CryptoProviders.PROPERTY);

    /** Whether this run should sign with ACCP: it loads here and the run is not the jdk one. */
    private static boolean accpExpected() {
        return !"jdk".equals(RUN) && CryptoProviders.loadingError() == null;
    }

    /**
     * The provider that signs with {@code key}: JCA picks it at initSign, and moves on to the next
     * provider when the first refuses the key's class, so a key ACCP cannot take would show here.
     */
    private static String signingProvider(String algorithm, PrivateKey key) throws Exception {
        Signature signature = Signature.getInstance(algorithm);
        signature.initSign(key);
        return signature.getProvider().getName();
    }

    @Test
    void thisRun_signsRsaWithAccpWhereItLoads_andWithTheJdksUnderJdk() throws Exception {
        GeneratedKey generated = DkimKeys.generate(KeyType.RSA, 2048);
        String expected = accpExpected() ? ACCP : "SunRsaSign";
        assertEquals(expected, signingProvider("SHA256withRSA", generated.privateKey()));
        // Keys as a key file gives them: PKCS#8 (openssl genpkey) and PKCS#1 (opendkim-genkey).
        assertEquals(expected, signingProvider("SHA256withRSA", DkimKeys.readPrivateKey(generated.privateKeyPem())));
        assertEquals(expected, signingProvider("SHA256withRSA", DkimKeys.readPrivateKey(resource("rsa2048-pkcs1.pem"))));
    }

    @Test
    void thisRun_signsEd25519WithAccpWhereItLoads() throws Exception {
        String expected = accpExpected() ? ACCP : "SunEC";
        GeneratedKey generated = DkimKeys.generate(KeyType.ED25519, 0);
        assertEquals(expected, signingProvider("Ed25519", generated.privateKey()));
        assertEquals(expected, signingProvider("Ed25519", DkimKeys.readPrivateKey(generated.privateKeyPem())));
        // RFC 8032 7.1 test 1's seed, as dkimpy keeps it
        assertEquals(expected, signingProvider("Ed25519",
                DkimKeys.readPrivateKey("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")));
    }

    @Test
    void thisRun_verifiesWithAccpWhereItLoads_keysAsTheKeyRecordGivesThem() throws Exception {
        for (KeyType type : KeyType.values()) {
            GeneratedKey generated = DkimKeys.generate(type, 2048);
            String algorithm = type == KeyType.RSA ? "RSA" : "Ed25519";
            // as DkimKeys reads p= of a key record: SubjectPublicKeyInfo through the KeyFactory
            PublicKey key = KeyFactory.getInstance(algorithm)
                    .generatePublic(new X509EncodedKeySpec(generated.publicKey().getEncoded()));
            Signature verifier = Signature.getInstance(type == KeyType.RSA ? "SHA256withRSA" : "Ed25519");
            verifier.initVerify(key);
            assertEquals(accpExpected() ? ACCP : type == KeyType.RSA ? "SunRsaSign" : "SunEC",
                    verifier.getProvider().getName(), type.toString());
        }
    }

    /** A key file of src/test/resources/crypto, made by openssl genrsa -traditional. */
    private static String resource(String name) throws Exception {
        try (var in = ProvidersOfThisRunTest.class.getResourceAsStream("/crypto/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
