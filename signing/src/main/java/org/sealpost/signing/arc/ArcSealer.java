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
     * Starts sealing a message; the chain state and our Authentication-Results are given to
     * {@link ArcSealing#finish}, once the header section has been read.
     */
    public ArcSealing start() {
        return new ArcSealing(key, options);
    }

    /**
     * Seals a whole message held in memory: returns the three fields to prepend.
     *
     * @param chain                 the validation of this message's chain ({@link ArcVerifier}); it gives cv= of
     *                              our seal
     * @param authenticationResults our own Authentication-Results, the payload of our ARC-Authentication-Results
     */
    public String seal(byte[] message, ArcResult chain, String authenticationResults) {
        ArcSealing sealing = start();
        sealing.update(message, 0, message.length);
        return sealing.finish(chain.status(), chain.instances(), authenticationResults).fields();
    }
}
