package org.sealpost.signing.dkim;

/** The k= key types of a DKIM key record (RFC 6376 3.6.1, RFC 8463 4). */
public enum KeyType {
    RSA("rsa"),
    ED25519("ed25519");

    private final String tag;

    KeyType(String tag) {
        this.tag = tag;
    }

    /** The k= value. */
    public String tag() {
        return tag;
    }

    static KeyType byTag(String tag) {
        for (KeyType t : values()) {
            if (t.tag.equalsIgnoreCase(tag)) {
                return t;
            }
        }
        return null;
    }
}
