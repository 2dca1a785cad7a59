package org.sealpost.signing.arc;

import org.sealpost.signing.dkim.SignerOptions;
import org.sealpost.signing.dkim.SigningKey;

/**
 * Adds our ARC set to messages we pass on (RFC 8617 5.1), with a DKIM key ({@link SigningKey}, made by
 * {@code sealpost dkim keygen}; the key record is published as for DKIM). The header list and
 * canonicalization of the ARC-Message-Signature come from {@link SignerOptions}, as for DKIM signing.
 * Thread-safe; each message gets its own {@link ArcSealing}.
 */
public final class ArcSealer {

    private final SigningKey key;
    private final SignerOptions options;

    public ArcSealer(SigningKey key, SignerOptions options) {
        for (String name : options.headers()) {
            if (name.equalsIgnoreCase(ArcSignature.SEAL)) {
                throw new IllegalArgumentException("the ARC-Message-Signature must not sign ARC-Seal (RFC 8617 4.1.2)");
            }
        }
        this.key = key;
        this.options = options;
    }

    public ArcSealer(SigningKey key) {
        this(key, SignerOptions.defaults());
    }

    /**
     * Starts sealing a message.
     *
     * @param chain                 the validation of this message's chain on arrival ({@link ArcVerifier}); it
     *                              gives cv= of our seal
     * @param authenticationResults our own Authentication-Results for the message (the field's value, with or
     *                              without the "Authentication-Results:" name), which becomes the payload of
     *                              our ARC-Authentication-Results (RFC 8617 4.1.1)
     */
    public ArcSealing start(ArcResult chain, String authenticationResults) {
        return new ArcSealing(key, options, chain, authenticationResults);
    }

    /** Seals a whole message held in memory: returns the three fields to prepend. */
    public String seal(byte[] message, ArcResult chain, String authenticationResults) {
        ArcSealing sealing = start(chain, authenticationResults);
        sealing.update(message, 0, message.length);
        return sealing.finish();
    }
}
