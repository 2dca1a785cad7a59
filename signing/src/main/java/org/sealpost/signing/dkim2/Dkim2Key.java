package org.sealpost.signing.dkim2;

import java.security.PrivateKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;

/**
 * A private key with the domain (d=) and selector it signs for, and the sig-name it signs with.
 * RSA and Ed25519 keys come from the DKIM {@link SigningKey} (its checks apply: a domain and
 * selector, RSA of at least 1024 bits, -06 3.2); ML-DSA-44 keys from {@link #mlDsa44}.
 */
public record Dkim2Key(String domain, String selector, Dkim2Algorithm algorithm, PrivateKey privateKey) {

    public Dkim2Key {
        if (!Dkim2Wire.isDomain(domain) || !Dkim2Wire.isDomain(selector)) {
            throw new IllegalArgumentException("not a domain and selector: d=" + domain + " s=" + selector);
        }
    }

    public static Dkim2Key of(SigningKey key) {
        return new Dkim2Key(key.domain(), key.selector(), key.type() == KeyType.RSA ? Dkim2Algorithm.RSA_SHA256
                : Dkim2Algorithm.ED25519_SHA256, key.privateKey());
    }

    /** An ML-DSA-44 key (experimental; a signer needs an RSA or Ed25519 key beside it). */
    public static Dkim2Key mlDsa44(String domain, String selector, PrivateKey key) {
        if (!MlDsa.isMlDsa(key)) {
            throw new IllegalArgumentException("not an ML-DSA key: " + key.getAlgorithm());
        }
        return new Dkim2Key(domain, selector, Dkim2Algorithm.MLDSA44, key);
    }

    /** Where the verifier looks the public key up: selector._domainkey.domain (dns-00 3.6). */
    public String keyName() {
        return selector + Dkim2Wire.KEY_LABEL + domain;
    }
}
