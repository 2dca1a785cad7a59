package org.sealpost.signing.dkim;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;

/** A private key with the domain (d=) and selector (s=) it signs for. */
public record SigningKey(String domain, String selector, KeyType type, PrivateKey privateKey) {

    public SigningKey {
        if (!DkimSignature.isDomain(domain) || !DkimSignature.isDomain(selector)) {
            throw new IllegalArgumentException("not a domain and selector: d=" + domain + " s=" + selector);
        }
        if (type == KeyType.RSA && DkimKeys.bits(privateKey) < 1024) {
            throw new IllegalArgumentException("the RSA key for " + selector + "._domainkey." + domain + " has "
                    + DkimKeys.bits(privateKey) + " bits; RFC 8301 3.2 requires at least 1024 (2048 recommended)");
        }
    }

    /** The key type follows from the key: RSA or Ed25519. */
    public static SigningKey of(String domain, String selector, PrivateKey key) {
        String algorithm = key.getAlgorithm();
        KeyType type = algorithm.equals("RSA") ? KeyType.RSA
                : algorithm.equals("Ed25519") || algorithm.equals("EdDSA") ? KeyType.ED25519 : null;
        if (type == null) {
            throw new IllegalArgumentException("DKIM signs with RSA or Ed25519 keys, not " + algorithm);
        }
        return new SigningKey(domain, selector, type, key);
    }

    /** Reads the key with {@link DkimKeys#readPrivateKey(String)}. */
    public static SigningKey fromPem(String domain, String selector, String keyText) throws GeneralSecurityException {
        return of(domain, selector, DkimKeys.readPrivateKey(keyText));
    }
}
