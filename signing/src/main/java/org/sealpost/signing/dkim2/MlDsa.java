package org.sealpost.signing.dkim2;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.jcajce.spec.ContextParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Pure ML-DSA-44 (FIPS 204) through Bouncy Castle, used as a named provider so that the provider list
 * (ACCP or the JDK's) stays as CryptoProviders set it. The context string is "DKIM2", as mail-auth
 * uses it; -06 defines no ML-DSA, so this is experimental.
 */
final class MlDsa {

    private static final Provider BC = new BouncyCastleProvider();
    private static final byte[] CONTEXT = "DKIM2".getBytes(StandardCharsets.US_ASCII);
    /** An ML-DSA-44 public key is 1312 octets; its SubjectPublicKeyInfo adds this fixed prefix (RFC 9881). */
    static final int PUBLIC_KEY_LENGTH = 1312;
    private static final byte[] SPKI_PREFIX = {0x30, (byte) 0x82, 0x05, 0x32, 0x30, 0x0b, 0x06, 0x09, 0x60, (byte) 0x86,
        0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x11, 0x03, (byte) 0x82, 0x05, 0x21, 0x00};

    private MlDsa() {
    }

    static KeyPair generate() throws GeneralSecurityException {
        return KeyPairGenerator.getInstance("ML-DSA-44", BC).generateKeyPair();
    }

    /** Whether the key is an ML-DSA key (of Bouncy Castle or another provider). */
    static boolean isMlDsa(java.security.Key key) {
        return key.getAlgorithm().startsWith("ML-DSA");
    }

    /** A private key from its PKCS#8 DER. */
    static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance("ML-DSA", BC).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    /** The public key of a key record's p=: the raw 1312 octets, as mail-auth publishes them. */
    static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        if (raw.length != PUBLIC_KEY_LENGTH) {
            throw new InvalidKeySpecException("an ML-DSA-44 key is " + PUBLIC_KEY_LENGTH + " octets, not " + raw.length);
        }
        byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + raw.length);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, raw.length);
        return KeyFactory.getInstance("ML-DSA", BC).generatePublic(new X509EncodedKeySpec(spki));
    }

    /** The raw 1312 octets of a public key, for p=. */
    static byte[] raw(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, spki.length - PUBLIC_KEY_LENGTH, spki.length);
    }

    static byte[] sign(PrivateKey key, byte[] input) throws GeneralSecurityException {
        Signature signer = Signature.getInstance("ML-DSA-44", BC);
        signer.initSign(key);
        signer.setParameter(new ContextParameterSpec(CONTEXT));
        signer.update(input);
        return signer.sign();
    }

    static boolean verify(PublicKey key, byte[] input, byte[] signature) throws GeneralSecurityException {
        Signature verifier = Signature.getInstance("ML-DSA-44", BC);
        verifier.initVerify(key);
        verifier.setParameter(new ContextParameterSpec(CONTEXT));
        verifier.update(input);
        return verifier.verify(signature);
    }
}
