package org.sealpost.transport.inbound;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.signing.dkim2.Dkim2Result;
import org.sealpost.signing.dkim2.Dkim2Returned;
import org.sealpost.signing.dkim2.Dkim2Verdict;

/**
 * The check of -06 12.1.2 on mx listeners (docs/dkim2.md, "Reports that come back"): a delivery
 * status notification with a DKIM2 chain that passed, returning a DKIM2-signed message, must be
 * about a message this relay signed for one of {@code ownDomains} (those of dkim2_sign), unaltered.
 * Only mail with the null sender is looked at: reports have it (RFC 3464 2, RFC 5321 4.5.5).
 */
public final class Dkim2Reports {

    private static final int MAX_HEADER_BYTES = 1 << 20;

    private final DnsResolver dns;
    private final Set<String> ownDomains;

    public Dkim2Reports(DnsResolver dns, Set<String> ownDomains) {
        this.dns = dns;
        this.ownDomains = Set.copyOf(ownDomains);
    }

    /** A check for one message, or null when the message cannot be a report. */
    Dkim2Returned start(String sender) {
        return sender.isEmpty() ? new Dkim2Returned(MAX_HEADER_BYTES) : null;
    }

    /** The outcome, once the report's own chain is known; empty when there was nothing to check. */
    CompletableFuture<Optional<Dkim2Returned.Outcome>> finish(Dkim2Returned returned, Optional<Dkim2Result> chain) {
        String signer = chain.filter(r -> r.verdict() == Dkim2Verdict.PASS && !r.hops().isEmpty())
                .map(r -> lastOf(r.hops()).domain().toLowerCase(java.util.Locale.ROOT)).orElse(null);
        return returned.finish(dns, ownDomains, signer).exceptionally(failure -> new Dkim2Returned.Outcome(
                        Dkim2Verdict.TEMPERROR, "the check did not complete: " + failure))
                .thenApply(outcome -> outcome.verdict() == Dkim2Verdict.NONE ? Optional.empty() : Optional.of(outcome));
    }

    private static <T> T lastOf(List<T> list) {
        return list.get(list.size() - 1);
    }
}
