package org.sealpost.signing.dkim2;

import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;

/**
 * Verifies the DKIM2 chain of messages (-06 10, 11) with keys from DNS (dns-00), keeping each key
 * answer's DNSSEC status. Thread-safe; each message gets its own {@link Dkim2Verification}, given
 * the envelope of the transaction it arrived in, which the newest hop must match (-06 11.4).
 */
public final class Dkim2Verifier {

    private final DnsResolver dns;
    private final Dkim2VerifierOptions options;

    public Dkim2Verifier(DnsResolver dns, Dkim2VerifierOptions options) {
        this.dns = dns;
        this.options = options;
    }

    public Dkim2Verifier(DnsResolver dns) {
        this(dns, Dkim2VerifierOptions.defaults());
    }

    /** Starts verifying a message that arrives, in chunks, with this envelope. */
    public Dkim2Verification start(Dkim2Envelope envelope) {
        return new Dkim2Verification(dns, options, envelope);
    }

    /** Verifies a whole message held in memory (CRLF line ends). */
    public CompletableFuture<Dkim2Result> verify(byte[] message, Dkim2Envelope envelope) {
        Dkim2Verification verification = start(envelope);
        verification.update(message, 0, message.length);
        return verification.finish();
    }
}
