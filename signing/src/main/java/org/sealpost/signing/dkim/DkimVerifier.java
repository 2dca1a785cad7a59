package org.sealpost.signing.dkim;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;

/**
 * Verifies DKIM signatures (RFC 6376 6, RFC 8463, RFC 8301) with keys from DNS, reporting each
 * key record's DNSSEC status. Thread-safe; each message gets its own {@link MessageVerification}.
 */
public final class DkimVerifier {

    private final DnsResolver dns;
    private final VerifierOptions options;

    public DkimVerifier(DnsResolver dns) {
        this(dns, VerifierOptions.defaults());
    }

    public DkimVerifier(DnsResolver dns, VerifierOptions options) {
        this.dns = dns;
        this.options = options;
    }

    /** Starts verifying a message that will be fed in chunks. */
    public MessageVerification start() {
        return new MessageVerification(dns, options);
    }

    /** Verifies a whole message held in memory (CRLF line ends). */
    public CompletableFuture<List<DkimResult>> verify(byte[] message) {
        MessageVerification verification = start();
        verification.update(message, 0, message.length);
        return verification.finish();
    }
}
