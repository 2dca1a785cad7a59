package org.sealpost.signing.dkim;

import java.util.List;

/**
 * Signs messages for one or more keys (RFC 6376 5): typically an RSA and an Ed25519 key of the same
 * domain (RFC 8463 recommends both). Thread-safe; each message gets its own {@link MessageSigning}.
 */
public final class DkimSigner {

    private final List<SigningKey> keys;
    private final SignerOptions options;

    public DkimSigner(List<SigningKey> keys, SignerOptions options) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one signing key");
        }
        this.keys = List.copyOf(keys);
        this.options = options;
    }

    public DkimSigner(SigningKey key) {
        this(List.of(key), SignerOptions.defaults());
    }

    /** Starts signing a message, without i= (the identity is then "@" + d=). */
    public MessageSigning start() {
        return new MessageSigning(keys, options, null);
    }

    /**
     * Starts signing a message on behalf of {@code identity} (i=, such as the authenticated user's
     * address), which must be in each key's domain or a subdomain of it (RFC 6376 3.5).
     */
    public MessageSigning start(String identity) {
        int at = identity.lastIndexOf('@');
        String domain = at < 0 ? "" : Canonicalization.asciiLower(identity.substring(at + 1));
        for (SigningKey key : keys) {
            String d = Canonicalization.asciiLower(key.domain());
            if (!domain.equals(d) && !domain.endsWith("." + d)) {
                throw new IllegalArgumentException("identity " + identity + " is not in d=" + key.domain());
            }
        }
        return new MessageSigning(keys, options, identity);
    }

    /** Signs a whole message held in memory: returns the DKIM-Signature fields to prepend. */
    public String sign(byte[] message) {
        MessageSigning signing = start();
        signing.update(message, 0, message.length);
        return signing.finish();
    }
}
