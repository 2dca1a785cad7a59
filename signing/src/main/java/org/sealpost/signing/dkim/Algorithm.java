package org.sealpost.signing.dkim;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * The a= signing algorithms Sealpost knows (RFC 6376 3.3, RFC 8463 3); rsa-sha1 only in legacy mode (RFC 8301 3.1).
 * Public for the DKIM-like ARC fields (RFC 8617 4.1.2, 4.1.3), which use the same algorithms.
 */
public enum Algorithm {
    RSA_SHA256("rsa-sha256", KeyType.RSA, "SHA-256", "SHA256withRSA", "sha256"),
    ED25519_SHA256("ed25519-sha256", KeyType.ED25519, "SHA-256", "Ed25519", "sha256"),
    RSA_SHA1("rsa-sha1", KeyType.RSA, "SHA-1", "SHA1withRSA", "sha1");

    final String tag;
    final KeyType keyType;
    final String digest;
    final String jcaSignature;
    /** The name of the hash in a key record's h= list. */
    final String hashName;
    /**
     * One Signature object per thread, initialized again for every message: making a new one costs
     * a provider lookup and, with ACCP, a native context, for every message signed or verified.
     */
    private final ThreadLocal<Signature> instances = new ThreadLocal<>();

    Algorithm(String tag, KeyType keyType, String digest, String jcaSignature, String hashName) {
        this.tag = tag;
        this.keyType = keyType;
        this.digest = digest;
        this.jcaSignature = jcaSignature;
        this.hashName = hashName;
    }

    public static Algorithm byTag(String tag) {
        for (Algorithm a : values()) {
            if (a.tag.equalsIgnoreCase(tag)) {
                return a;
            }
        }
        return null;
    }

    /** The algorithm a key of this type signs with. */
    public static Algorithm forKey(KeyType type) {
        return type == KeyType.RSA ? RSA_SHA256 : ED25519_SHA256;
    }

    /** The a= name. */
    public String tag() {
        return tag;
    }

    /** The JCA name of the body and header digest. */
    public String digest() {
        return digest;
    }

    public KeyType keyType() {
        return keyType;
    }

    /** Verifies {@code signature} over the header data. */
    public boolean verify(PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        Signature verifier = instance();
        try {
            verifier.initVerify(key);
        } catch (InvalidKeyException e) {
            // The thread's object is bound to the provider of an earlier key that cannot take this one.
            verifier = fresh();
            verifier.initVerify(key);
        }
        verifier.update(signed(data));
        return verifier.verify(signature);
    }

    /** Signs the header data. */
    public byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature signer = instance();
        try {
            signer.initSign(key);
        } catch (InvalidKeyException e) {
            signer = fresh();
            signer.initSign(key);
        }
        signer.update(signed(data));
        return signer.sign();
    }

    private Signature instance() throws GeneralSecurityException {
        Signature signature = instances.get();
        return signature != null ? signature : fresh();
    }

    private Signature fresh() throws GeneralSecurityException {
        Signature signature = Signature.getInstance(jcaSignature);
        instances.set(signature);
        return signature;
    }

    // RFC 8463 3: Ed25519 signs the SHA-256 hash of the header data, not the data itself.
    private byte[] signed(byte[] data) throws GeneralSecurityException {
        return keyType == KeyType.ED25519 ? MessageDigest.getInstance("SHA-256").digest(data) : data;
    }
}
