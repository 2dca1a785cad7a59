package org.sealpost.signing.dkim;

/** The a= signing algorithms Sealpost knows (RFC 6376 3.3, RFC 8463 3); rsa-sha1 only in legacy mode (RFC 8301 3.1). */
enum Algorithm {
    RSA_SHA256("rsa-sha256", KeyType.RSA, "SHA-256", "SHA256withRSA", "sha256"),
    ED25519_SHA256("ed25519-sha256", KeyType.ED25519, "SHA-256", "Ed25519", "sha256"),
    RSA_SHA1("rsa-sha1", KeyType.RSA, "SHA-1", "SHA1withRSA", "sha1");

    final String tag;
    final KeyType keyType;
    final String digest;
    final String jcaSignature;
    /** The name of the hash in a key record's h= list. */
    final String hashName;

    Algorithm(String tag, KeyType keyType, String digest, String jcaSignature, String hashName) {
        this.tag = tag;
        this.keyType = keyType;
        this.digest = digest;
        this.jcaSignature = jcaSignature;
        this.hashName = hashName;
    }

    static Algorithm byTag(String tag) {
        for (Algorithm a : values()) {
            if (a.tag.equalsIgnoreCase(tag)) {
                return a;
            }
        }
        return null;
    }
}
