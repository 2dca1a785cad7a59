package org.sealpost.keyexchange.mtasts;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import org.sealpost.keyexchange.pkix.PkixPolicy;
import org.sealpost.keyexchange.policy.Check;
import org.sealpost.keyexchange.policy.Decision;
import org.sealpost.keyexchange.policy.DeliveryPolicy;
import org.sealpost.keyexchange.policy.Failure;
import org.sealpost.keyexchange.policy.Hop;
import org.sealpost.keyexchange.policy.PeerSession;
import org.sealpost.keyexchange.policy.PolicyFailure;
import org.sealpost.keyexchange.policy.PublishedPolicy;
import org.sealpost.keyexchange.policy.Rfc8460ResultType;
import org.sealpost.keyexchange.policy.TlsLevel;

/**
 * MTA-STS (RFC 8461) in the list of policies, after DANE and before the XKEYS pins. It decides
 * only where nothing the operator fixed and no DANE applies: under an enforce policy the MX host
 * must match one of the policy's mx patterns and the level becomes verify, so that the pkix
 * policy (last in the list) checks the chain against the MX host's name (RFC 8461 4.2) with no
 * plaintext and no unauthenticated fallback; under testing the same checks are made after the
 * handshake and a failure is only reported (RFC 8461 5), for TLS-RPT.
 */
public final class MtaStsPolicy implements DeliveryPolicy {

    private final Function<String, CompletableFuture<StsResult>> policies;
    private final PkixPolicy webPki;
    private final Predicate<String> byMx;

    /**
     * @param client the MTA-STS client that looks the domain's policy up
     * @param webPki the certificate-authority check of the verify level (tls_ca_file, or the
     *     JDK's cacerts), which a testing policy makes after the handshake and only reports
     * @param byMx whether mail for a domain goes to the hosts its own MX records name (no route or
     *     relayhost sends it elsewhere): only then does the domain's policy apply
     */
    public MtaStsPolicy(MtaSts client, PkixPolicy webPki, Predicate<String> byMx) {
        this(client::policyFor, webPki, byMx);
    }

    MtaStsPolicy(Function<String, CompletableFuture<StsResult>> policies, PkixPolicy webPki, Predicate<String> byMx) {
        this.policies = policies;
        this.webPki = webPki;
        this.byMx = byMx;
    }

    @Override
    public String name() {
        return "mta-sts";
    }

    @Override
    public CompletableFuture<Step> beforeConnect(Hop hop, Decision earlier) {
        if (earlier.fixed() || earlier.level() == TlsLevel.NONE || daneApplies(earlier) || hop.ipLiteral()
                || !byMx.test(hop.domain())) {
            // RFC 8461 2: where DANE TLSA records apply, MTA-STS is not used; the operator's own
            // tls_policy wins over anything discovered; an address literal has no policy domain.
            // RFC 8461 4.1 names the domain's MX hosts: a route or relayhost to a host of the
            // operator's choosing (a smart host) is not one of them, and the policy says nothing of it.
            return Step.unchanged(earlier);
        }
        return policies.apply(hop.domain()).thenCompose(result -> {
            try {
                return CompletableFuture.completedFuture(step(hop, earlier, result));
            } catch (PolicyFailure refused) {
                return CompletableFuture.failedFuture(refused);
            }
        });
    }

    /** DANE decided the host: usable TLSA records (dane-only) or only unusable ones (encrypt, RFC 7672 2.2). */
    private static boolean daneApplies(Decision earlier) {
        return earlier.decidedBy().equals("dane")
                && (earlier.level() == TlsLevel.DANE_ONLY || earlier.level() == TlsLevel.ENCRYPT);
    }

    /** This policy's step for the host under what the domain publishes; throws PolicyFailure to refuse it. */
    private Step step(Hop hop, Decision earlier, StsResult result) {
        if (result instanceof StsResult.Absent absent) {
            if (absent.failure().isEmpty()) {
                return new Step(earlier, AfterHandshake.NOTHING);
            }
            // RFC 8461 5: announced but not fetched, nothing cached: deliver as if there were no
            // policy; RFC 8460 4.3.2 has every session reported with the fetch failure.
            Failure found = Failure.temporary("4.7.5", name(), resultType(absent.failure().get()), absent.reason());
            return new Step(earlier.publishedAs(PublishedPolicy.sts(hop.domain(), List.of(), List.of())),
                    (peer, decided) -> CompletableFuture.completedFuture(Check.passReporting("none", found)));
        }
        StsPolicy policy = ((StsResult.Found) result).policy();
        PublishedPolicy published = PublishedPolicy.sts(hop.domain(), Arrays.asList(policy.text().split("\n")), policy.mx());
        String about = "MTA-STS policy of " + hop.domain() + " (" + policy.mode().text() + ", id=" + policy.id() + ")";
        return switch (policy.mode()) {
            case NONE -> new Step(earlier.publishedAs(PublishedPolicy.NONE), AfterHandshake.NOTHING);
            case ENFORCE -> {
                if (!policy.matches(hop.host())) {
                    throw new PolicyFailure(mismatch(hop, policy));
                }
                // verify makes TLS mandatory and the pkix policy checks the chain against the MX
                // host's name (RFC 8461 4.2); secure, already stricter, stays.
                Decision decided = earlier.level() == TlsLevel.SECURE ? earlier.publishedAs(published)
                        : earlier.raisedTo(TlsLevel.VERIFY, name(), "verify", about + " names the MX host " + hop.host())
                                .publishedAs(published);
                yield new Step(decided, (peer, d) -> CompletableFuture.completedFuture(
                        peer.tls() ? Check.pass(name()) : Check.unauthenticated()));
            }
            case TESTING -> new Step(earlier.publishedAs(published),
                    (peer, decided) -> CompletableFuture.completedFuture(testing(hop, policy, peer)));
        };
    }

    /** RFC 8461 5: in testing mode the checks of enforce are made, and a failure is only reported. */
    private Check testing(Hop hop, StsPolicy policy, PeerSession peer) {
        if (!peer.tls()) {
            return Check.passReporting("none", Failure.temporary("4.7.4", name(), Rfc8460ResultType.STARTTLS_NOT_SUPPORTED,
                    "host " + peer.host() + " did not offer STARTTLS, which the MTA-STS policy of " + hop.domain()
                    + " (testing) requires"));
        }
        if (!policy.matches(hop.host())) {
            return Check.passReporting("none", mismatch(hop, policy));
        }
        Check chain = webPki.verify(TlsLevel.VERIFY, hop.domain(), hop.host(), peer.peerChain());
        if (!chain.passed()) {
            Failure failed = chain.failure();
            return Check.passReporting("none", Failure.temporary(failed.enhancedCode(), name(), failed.resultType(),
                    failed.reason() + " (MTA-STS policy of " + hop.domain() + ", testing: delivered anyway)"));
        }
        return Check.unauthenticated();
    }

    /** RFC 8461 4.1: the MX host is not one the policy names; RFC 8460 has no closer type than validation-failure. */
    private Failure mismatch(Hop hop, StsPolicy policy) {
        return Failure.temporary("4.7.5", name(), Rfc8460ResultType.VALIDATION_FAILURE, "MX host " + hop.host()
                + " does not match the MTA-STS policy of " + hop.domain() + " (" + policy.mode().text() + ", mx: "
                + String.join(", ", policy.mx()) + ")");
    }

    private static Rfc8460ResultType resultType(StsFailure failure) {
        return switch (failure) {
            case POLICY_FETCH_ERROR -> Rfc8460ResultType.STS_POLICY_FETCH_ERROR;
            case POLICY_INVALID -> Rfc8460ResultType.STS_POLICY_INVALID;
            case WEBPKI_INVALID -> Rfc8460ResultType.STS_WEBPKI_INVALID;
        };
    }
}
