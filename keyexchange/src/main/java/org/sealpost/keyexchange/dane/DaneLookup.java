package org.sealpost.keyexchange.dane;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.dnssec.TlsaRecord;

/**
 * The TLSA records of one MX host, by the rules of RFC 7672 2.2: looked up only when the host's
 * address records are SECURE; at the end of a secure CNAME chain first (the TLSA base domain),
 * then at the host name; only SECURE TLSA answers count; a BOGUS or failed lookup defers.
 */
public final class DaneLookup {

    private final DnsResolver dns;

    public DaneLookup(DnsResolver dns) {
        this.dns = dns;
    }

    public CompletableFuture<TlsaDecision> forHost(String host, int port) {
        return dns.addresses(host).thenCompose(addresses -> {
            if (addresses.security() == Security.BOGUS) {
                return done(TlsaDecision.of(TlsaDecision.Kind.DEFER, host, "address records of " + host
                        + " are BOGUS: " + addresses.reason()));
            }
            if (addresses.outcome().isTemporary()) {
                return done(TlsaDecision.of(TlsaDecision.Kind.DEFER, host, "address lookup of " + host + " failed: "
                        + addresses.reason()));
            }
            if (addresses.security() != Security.SECURE) {
                // RFC 7672 2.2: TLSA records are not looked up for a host whose addresses are insecure.
                return done(TlsaDecision.of(TlsaDecision.Kind.NO_DANE, host, "address records of " + host
                        + " are not signed"));
            }
            String canonical = addresses.canonicalName();
            if (!canonical.isEmpty() && !canonical.equalsIgnoreCase(host)) {
                // RFC 7672 2.2.2: the expanded name first, the original name if it has no TLSA records.
                return tlsa(canonical, port).thenCompose(decision -> decision.kind() == TlsaDecision.Kind.NO_DANE
                        ? tlsa(host, port) : done(decision));
            }
            return tlsa(host, port);
        });
    }

    private CompletableFuture<TlsaDecision> tlsa(String base, int port) {
        String name = "_" + port + "._tcp." + base;
        return dns.tlsa(name).thenApply(answer -> decide(base, name, answer));
    }

    static TlsaDecision decide(String base, String name, DnsAnswer<TlsaRecord> answer) {
        if (answer.security() == Security.BOGUS) {
            return TlsaDecision.of(TlsaDecision.Kind.DEFER, base, "TLSA records at " + name + " are BOGUS: " + answer.reason());
        }
        if (answer.outcome() == Outcome.SERVFAIL || answer.outcome() == Outcome.TIMEOUT) {
            return TlsaDecision.of(TlsaDecision.Kind.DEFER, base, "TLSA lookup of " + name + " failed: " + answer.reason());
        }
        if (!answer.found() || answer.security() != Security.SECURE) {
            return TlsaDecision.of(TlsaDecision.Kind.NO_DANE, base, answer.found()
                    ? "TLSA records at " + name + " are not signed" : "no TLSA records at " + name);
        }
        List<TlsaRecord> usable = TlsaUsability.select(answer.records());
        if (usable.isEmpty()) {
            return new TlsaDecision(TlsaDecision.Kind.ENCRYPT, answer.records(), base,
                    "TLSA records at " + name + " are all unusable: TLS required, peer not authenticated");
        }
        return new TlsaDecision(TlsaDecision.Kind.DANE, usable, base, usable.size() + " usable TLSA records at " + name);
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
