package org.sealpost.signing.dkim2;

import java.time.Clock;
import java.util.List;

/**
 * Signs messages for one domain with one or more keys (-06 9): typically RSA or Ed25519, or both,
 * and optionally ML-DSA-44 beside them. Thread-safe; each message gets its own {@link Dkim2Signing}.
 */
public final class Dkim2Signer {

    /** The header section a signer holds, as the DKIM signer does. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    private final List<Dkim2Key> keys;
    private final Clock clock;

    public Dkim2Signer(List<Dkim2Key> keys, Clock clock) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one DKIM2 signing key");
        }
        String domain = keys.get(0).domain();
        for (Dkim2Key key : keys) {
            if (!key.domain().equalsIgnoreCase(domain)) {
                throw new IllegalArgumentException("one DKIM2-Signature has one d=: keys for " + domain + " and "
                        + key.domain() + " cannot sign together");
            }
        }
        if (keys.stream().allMatch(k -> k.algorithm() == Dkim2Algorithm.MLDSA44)) {
            // -06 defines no ML-DSA: verifiers that do not know it ignore it, so it never signs alone.
            throw new IllegalArgumentException("ML-DSA-44 is an experimental extra sig-set: give an RSA or Ed25519 key"
                    + " beside it");
        }
        this.keys = List.copyOf(keys);
        this.clock = clock;
    }

    public Dkim2Signer(List<Dkim2Key> keys) {
        this(keys, Clock.systemUTC());
    }

    /** Starts signing a message that will be fed in chunks. */
    public Dkim2Signing start(Dkim2SignOptions options) {
        return new Dkim2Signing(keys, clock, options);
    }

    /** Signs a whole message held in memory: returns the fields to prepend, each ending in CRLF. */
    public String sign(byte[] message, Dkim2SignOptions options) throws Dkim2Refusal {
        Dkim2Signing signing = start(options);
        signing.update(message, 0, message.length);
        return signing.finish();
    }
}
