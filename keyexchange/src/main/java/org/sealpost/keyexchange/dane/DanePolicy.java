package org.sealpost.keyexchange.dane;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sealpost.keyexchange.policy.HopPolicy;
import org.sealpost.keyexchange.policy.PolicyRefusal;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.keyexchange.policy.Verification;

/**
 * The DANE and DANE-only levels (RFC 7672): per MX host, the TLSA decision sets what the
 * connection needs, and after the handshake the presented chain must match a usable record.
 * Nothing here falls back to plaintext or to unauthenticated TLS when usable records exist.
 */
public final class DanePolicy implements HopPolicy {

    private final TlsLevel level;
    private final String source;
    private final DaneLookup lookup;
    private final Clock clock;

    public DanePolicy(TlsLevel level, String source, DaneLookup lookup, Clock clock) {
        this.level = level;
        this.source = source;
        this.lookup = lookup;
        this.clock = clock;
    }

    @Override
    public TlsLevel level() {
        return level;
    }

    @Override
    public String source() {
        return source;
    }

    /** Before a host is decided, nothing is verified: forHost always comes first. */
    @Override
    public Verification verify(String mxHost, List<Certificate> peerChain) {
        return Verification.failed("dane", "the host's TLSA records were not looked up");
    }

    @Override
    public CompletableFuture<HopPolicy> forHost(String host, int port, String nextHopDomain, boolean mxSecure) {
        if (ipLiteral(host)) {
            // An address has no DNSSEC-validated name, so no TLSA record can apply to it (RFC 7672
            // 2.2.2 looks TLSA up under the host's name) and it is never looked up in DNS. dane falls
            // to opportunistic TLS, as Postfix's dane level does where DANE is impossible; dane-only
            // permits no fallback, so the operator must say what this hop needs.
            String hop = "[" + host + "]:" + port;
            if (level == TlsLevel.DANE_ONLY) {
                return CompletableFuture.failedFuture(new PolicyRefusal("4.7.5", "dane-only: no DANE is possible for "
                        + "the IP-literal next hop " + hop + "; set tls_policy." + nextHopDomain
                        + " to the level this hop should have"));
            }
            return CompletableFuture.completedFuture(HopPolicy.unauthenticated(TlsLevel.MAY, source + "/no-dane"));
        }
        if (!mxSecure) {
            // RFC 7672 2.2.1: without secure MX records, DANE does not apply to the destination.
            return CompletableFuture.completedFuture(withoutDane("MX records of " + nextHopDomain + " are not signed"));
        }
        return lookup.forHost(host, port).thenApply(decision -> switch (decision.kind()) {
            case DANE -> new Matching(decision, nextHopDomain);
            case ENCRYPT -> HopPolicy.unauthenticated(TlsLevel.ENCRYPT, source + "/dane-unusable");
            case NO_DANE -> withoutDane(decision.reason());
            case DEFER -> throw new PolicyRefusal("4.7.5", decision.reason());
        });
    }

    /**
     * Whether a next-hop host is an address ("192.0.2.7", "2001:db8::7") rather than a name: a
     * name never holds ':', and no top-level domain is all digits (RFC 3696 2).
     */
    static boolean ipLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private HopPolicy withoutDane(String reason) {
        if (level == TlsLevel.DANE_ONLY) {
            throw new PolicyRefusal("4.7.5", "policy dane-only: " + reason);
        }
        return HopPolicy.unauthenticated(TlsLevel.MAY, source + "/no-dane");
    }

    /** A host with usable TLSA records: TLS is mandatory and the chain must match one of them. */
    private final class Matching implements HopPolicy {
        private final TlsaDecision decision;
        private final String nextHopDomain;

        Matching(TlsaDecision decision, String nextHopDomain) {
            this.decision = decision;
            this.nextHopDomain = nextHopDomain;
        }

        @Override
        public TlsLevel level() {
            return TlsLevel.DANE_ONLY;
        }

        @Override
        public String source() {
            return source + "/dane";
        }

        @Override
        public Verification verify(String mxHost, List<Certificate> peerChain) {
            List<X509Certificate> chain = peerChain.stream().filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast).toList();
            DaneResult result = DaneMatcher.match(decision.records(), chain,
                    List.of(decision.baseDomain(), nextHopDomain), clock.instant());
            return result.matched() ? new Verification(true, result.method(), "")
                    : Verification.failed("dane", result.reason());
        }
    }
}
