package org.sealpost.keyexchange.dane;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sealpost.keyexchange.policy.Check;
import org.sealpost.keyexchange.policy.Decision;
import org.sealpost.keyexchange.policy.DeliveryPolicy;
import org.sealpost.keyexchange.policy.Failure;
import org.sealpost.keyexchange.policy.Hop;
import org.sealpost.keyexchange.policy.PolicyFailure;
import org.sealpost.keyexchange.policy.PublishedPolicy;
import org.sealpost.keyexchange.policy.Rfc8460ResultType;
import org.sealpost.keyexchange.policy.TlsLevel;

/**
 * The DANE and DANE-only levels (RFC 7672), where the earlier policies asked for one of them:
 * per MX host, the TLSA decision sets what the connection needs, and after the handshake the
 * presented chain must match a usable record. Nothing here falls back to plaintext or to
 * unauthenticated TLS when usable records exist, and no later policy can lower what it requires.
 */
public final class DanePolicy implements DeliveryPolicy {

    private final DaneLookup lookup;
    private final Clock clock;

    public DanePolicy(DaneLookup lookup, Clock clock) {
        this.lookup = lookup;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "dane";
    }

    @Override
    public CompletableFuture<Step> beforeConnect(Hop hop, Decision earlier) {
        TlsLevel level = earlier.level();
        if (level != TlsLevel.DANE && level != TlsLevel.DANE_ONLY) {
            return Step.unchanged(earlier);
        }
        String host = hop.host();
        if (hop.ipLiteral()) {
            // An address has no DNSSEC-validated name, so no TLSA record can apply to it (RFC 7672
            // 2.2.2 looks TLSA up under the host's name) and it is never looked up in DNS. dane falls
            // to opportunistic TLS, as Postfix's dane level does where DANE is impossible; dane-only
            // permits no fallback, so the operator must say what this hop needs.
            String where = "[" + host + "]:" + hop.port();
            if (level == TlsLevel.DANE_ONLY) {
                return refuse(Rfc8460ResultType.DANE_REQUIRED, "dane-only: no DANE is possible for the IP-literal next hop "
                        + where + "; set tls_policy." + hop.domain() + " to the level this hop should have");
            }
            return withoutDane(earlier, "no DANE for the IP-literal next hop " + where);
        }
        if (!hop.mxSecure()) {
            // RFC 7672 2.2.1: without secure MX records, DANE does not apply to the destination.
            return withoutDane(earlier, "MX records of " + hop.domain() + " are not signed");
        }
        return lookup.forHost(host, hop.port()).thenCompose(decision -> switch (decision.kind()) {
            case DANE -> CompletableFuture.completedFuture(new Step(earlier.raisedTo(TlsLevel.DANE_ONLY, name(), "dane",
                    decision.reason()).publishedAs(PublishedPolicy.tlsa(host, decision.records().stream()
                            .map(Object::toString).toList())), (peer, decided) -> CompletableFuture.completedFuture(peer.tls()
                    ? match(decision, hop, peer.peerChain()) : Check.unauthenticated())));
            case ENCRYPT -> CompletableFuture.completedFuture(new Step(earlier.raisedTo(TlsLevel.ENCRYPT, name(), "none",
                    decision.reason()), AfterHandshake.NOTHING));
            case NO_DANE -> withoutDane(earlier, decision.reason());
            case DEFER -> refuse(Rfc8460ResultType.DNSSEC_INVALID, decision.reason());
        });
    }

    /**
     * The chain must match a usable record. Without TLS there is nothing to match: dane-only
     * requires TLS, so the connection refuses plaintext (starttls-not-supported) by the level.
     */
    private Check match(TlsaDecision decision, Hop hop, List<java.security.cert.Certificate> peerChain) {
        List<X509Certificate> chain = peerChain.stream().filter(X509Certificate.class::isInstance)
                .map(X509Certificate.class::cast).toList();
        if (chain.isEmpty()) {
            return Check.fail("dane", Failure.temporary("4.7.5", name(), Rfc8460ResultType.TLSA_INVALID,
                    "the host presented no certificate to match its TLSA records"));
        }
        DaneResult result = DaneMatcher.match(decision.records(), chain,
                List.of(decision.baseDomain(), hop.domain()), clock.instant());
        return result.matched() ? Check.pass(result.method())
                : Check.fail("dane", Failure.temporary("4.7.5", "dane", Rfc8460ResultType.TLSA_INVALID, result.reason()));
    }

    /** dane without usable DANE is opportunistic TLS; dane-only refuses the host. */
    private CompletableFuture<Step> withoutDane(Decision earlier, String reason) {
        if (earlier.level() == TlsLevel.DANE_ONLY) {
            return refuse(Rfc8460ResultType.DANE_REQUIRED, "policy dane-only: " + reason);
        }
        return CompletableFuture.completedFuture(new Step(earlier.raisedTo(TlsLevel.MAY, name(), "none", "no DANE: " + reason),
                AfterHandshake.NOTHING));
    }

    private CompletableFuture<Step> refuse(Rfc8460ResultType type, String reason) {
        return CompletableFuture.failedFuture(new PolicyFailure(Failure.temporary("4.7.5", name(), type, reason)));
    }
}
