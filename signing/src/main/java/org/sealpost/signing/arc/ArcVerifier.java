package org.sealpost.signing.arc;

import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.signing.dkim.VerifierOptions;

/**
 * Validates ARC chains (RFC 8617 5.2) with keys from DNS, as {@link org.sealpost.signing.dkim.DkimVerifier}
 * verifies DKIM: the same options (clock and skew for t=, RFC 8301 strictness, header size), the same
 * streaming shape. Thread-safe; each message gets its own {@link ArcVerification}.
 */
public final class ArcVerifier {

    private final DnsResolver dns;
    private final VerifierOptions options;

    public ArcVerifier(DnsResolver dns) {
        this(dns, VerifierOptions.defaults());
    }

    public ArcVerifier(DnsResolver dns, VerifierOptions options) {
        this.dns = dns;
        this.options = options;
    }

    /** Starts validating a message that will be fed in chunks. */
    public ArcVerification start() {
        return new ArcVerification(dns, options);
    }

    /** Validates a whole message held in memory (CRLF line ends). */
    public CompletableFuture<ArcResult> verify(byte[] message) {
        ArcVerification verification = start();
        verification.update(message, 0, message.length);
        return verification.finish();
    }
}
