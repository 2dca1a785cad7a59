package org.sealpost.signing.dkim2;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.sealpost.signing.dkim.Algorithm;

/**
 * The sig-names this code signs and verifies (-06 3.2, 3.3) and the experimental ML-DSA-44, with the
 * key type each needs in a key record's k= (dns-00 3.4.1). RSA and Ed25519 go through the DKIM
 * {@link Algorithm}s: RSA-SHA256 signs the -06 9.6 input, Ed25519 its SHA-256 hash, as RFC 8463 does.
 */
public enum Dkim2Algorithm {
    RSA_SHA256(Dkim2Wire.RSA_SHA256, Dkim2Wire.KEY_RSA),
    ED25519_SHA256(Dkim2Wire.ED25519_SHA256, Dkim2Wire.KEY_ED25519),
    /** Not in -06: off unless a signer is given an ML-DSA-44 key; always beside RSA or Ed25519. */
    MLDSA44(Dkim2Wire.MLDSA44, Dkim2Wire.KEY_MLDSA44);

    private final String wireName;
    private final String keyType;

    Dkim2Algorithm(String wireName, String keyType) {
        this.wireName = wireName;
        this.keyType = keyType;
    }

    /** The sig-name written in s=. */
    public String wireName() {
        return wireName;
    }

    /** The k= value of the key records this algorithm verifies with. */
    public String keyType() {
        return keyType;
    }

    /** The algorithm of a sig-name, or null for one this code does not implement (-06 3.4: ignored). */
    public static Dkim2Algorithm byName(String name) {
        for (Dkim2Algorithm a : values()) {
            if (a.wireName.equals(name)) {
                return a;
            }
        }
        return null;
    }

    static Dkim2Algorithm byKeyType(String k) {
        for (Dkim2Algorithm a : values()) {
            if (a.keyType.equalsIgnoreCase(k)) {
                return a;
            }
        }
        return null;
    }

    byte[] sign(PrivateKey key, byte[] input) throws GeneralSecurityException {
        return switch (this) {
            case RSA_SHA256 -> Algorithm.RSA_SHA256.sign(key, input);
            case ED25519_SHA256 -> Algorithm.ED25519_SHA256.sign(key, input);
            case MLDSA44 -> MlDsa.sign(key, input);
        };
    }

    boolean verify(PublicKey key, byte[] input, byte[] signature) throws GeneralSecurityException {
        return switch (this) {
            case RSA_SHA256 -> Algorithm.RSA_SHA256.verify(key, input, signature);
            case ED25519_SHA256 -> Algorithm.ED25519_SHA256.verify(key, input, signature);
            case MLDSA44 -> MlDsa.verify(key, input, signature);
        };
    }
}
