package org.sealpost.signing.dkim2;

import java.util.List;
import java.util.Optional;

/**
 * What one signature records beyond the key: the envelope it is sent with, or nd= (-06 8.5 to 8.7);
 * t= (the signer's clock when empty); n= and f=; the hashes of a new Message-Instance (sha256 by
 * default); and the recipe of a new Message-Instance (-06 7.2), as JSON.
 *
 * <p>The recipe is the seam to the recipe engine: a hop that changed the message gives the JSON that
 * recreates the version it received (the engine's output), and the signer writes it base64 as r=.
 */
public record Dkim2SignOptions(Optional<Dkim2Envelope> envelope, Optional<String> nextDomain, Optional<Long> timestamp,
        Optional<String> nonce, List<String> flags, List<String> hashes, Optional<String> recipe) {

    public Dkim2SignOptions {
        flags = List.copyOf(flags);
        hashes = List.copyOf(hashes);
        if (envelope.isPresent() == nextDomain.isPresent()) {
            throw new IllegalArgumentException("a DKIM2 signature records either an envelope or nd= (-06 8.7), not "
                    + (envelope.isPresent() ? "both" : "neither"));
        }
    }

    /** A hop sending with this envelope. */
    public static Dkim2SignOptions forEnvelope(Dkim2Envelope envelope) {
        return new Dkim2SignOptions(Optional.of(envelope), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                List.of(Dkim2Wire.SHA256), Optional.empty());
    }

    /** An imaginary hop (-06 9.3) handing the message to {@code nextDomain}, which signs next. */
    public static Dkim2SignOptions forNextDomain(String nextDomain) {
        return new Dkim2SignOptions(Optional.empty(), Optional.of(nextDomain), Optional.empty(), Optional.empty(),
                List.of(), List.of(Dkim2Wire.SHA256), Optional.empty());
    }

    public Dkim2SignOptions withTimestamp(long t) {
        return new Dkim2SignOptions(envelope, nextDomain, Optional.of(t), nonce, flags, hashes, recipe);
    }

    public Dkim2SignOptions withNonce(String n) {
        return new Dkim2SignOptions(envelope, nextDomain, timestamp, Optional.of(n), flags, hashes, recipe);
    }

    public Dkim2SignOptions withFlags(String... f) {
        return new Dkim2SignOptions(envelope, nextDomain, timestamp, nonce, List.of(f), hashes, recipe);
    }

    /** The hashes of a new Message-Instance, from {@link Dkim2Wire#SHA256} and {@link Dkim2Wire#SHA512}. */
    public Dkim2SignOptions withHashes(String... h) {
        return new Dkim2SignOptions(envelope, nextDomain, timestamp, nonce, flags, List.of(h), recipe);
    }

    /** The recipe JSON of the Message-Instance this hop adds because it changed the message. */
    public Dkim2SignOptions withRecipe(String json) {
        return new Dkim2SignOptions(envelope, nextDomain, timestamp, nonce, flags, hashes, Optional.of(json));
    }
}
