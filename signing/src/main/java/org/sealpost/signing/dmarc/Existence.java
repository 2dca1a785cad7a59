package org.sealpost.signing.dmarc;

import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.Outcome;

/**
 * Whether an Author Domain exists, for np= (RFC 9989 3.2.13, 4.7): it does not when its A, AAAA
 * and MX lookups all answer NXDOMAIN (RFC 8020; the three types are those RFC 9091 2.7 named).
 */
final class Existence {

    enum State { EXISTS, DOES_NOT_EXIST, UNKNOWN }

    private final DnsResolver dns;

    Existence(DnsResolver dns) {
        this.dns = dns;
    }

    CompletableFuture<State> of(String domain) {
        return dns.addresses(domain).thenCombine(dns.mx(domain), (addresses, mx) -> {
            if (addresses.outcome() == Outcome.NXDOMAIN && mx.outcome() == Outcome.NXDOMAIN) {
                return State.DOES_NOT_EXIST;
            }
            if (addresses.found() || mx.found()
                    || (!addresses.outcome().isTemporary() && !mx.outcome().isTemporary())) {
                return State.EXISTS;
            }
            return State.UNKNOWN;
        });
    }
}
