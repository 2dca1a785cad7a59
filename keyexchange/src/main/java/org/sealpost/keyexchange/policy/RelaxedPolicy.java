package org.sealpost.keyexchange.policy;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A recipient-side policy (DANE, MTA-STS) as it applies to a message with {@code TLS-Required: No}
 * (RFC 8689 3 and 4.2.2): the sender asked that those policies be ignored when they would stop the
 * delivery, so here they only report. What they would have required becomes opportunistic TLS
 * (STARTTLS when offered, plaintext otherwise, as the may level), a refusal before connecting and
 * a failed check of the session become failures that are reported for TLS-RPT but not acted on.
 * A level the operator set is never relaxed: a static tls_policy (the decision is fixed), and a
 * tls_default_level that itself requires TLS (encrypt, dane-only, verify, secure) leave the policy
 * as strict as it always is.
 */
final class RelaxedPolicy implements DeliveryPolicy {

    /** The policies whose requirements a message with TLS-Required: No may set aside. */
    static final Set<String> RELAXABLE = Set.of("dane", "mta-sts");

    private final DeliveryPolicy policy;

    RelaxedPolicy(DeliveryPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return policy.name();
    }

    @Override
    public CompletableFuture<Step> beforeConnect(Hop hop, Decision earlier) {
        if (earlier.fixed() || earlier.level().requiresTls()) {
            return policy.beforeConnect(hop, earlier); // what the operator set: never relaxed
        }
        return policy.beforeConnect(hop, earlier).handle((step, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (!(cause instanceof PolicyFailure refused)) {
                    throw failure instanceof CompletionException c ? c : new CompletionException(cause);
                }
                return new Step(relaxed(earlier, refused.failure().reason()), AfterHandshake.NOTHING);
            }
            Decision decided = step.decision();
            if (!decided.level().requiresTls()) {
                return step; // nothing required that the sender asked to set aside
            }
            return new Step(relaxed(earlier, decided + " not enforced" + (decided.reason().isEmpty() ? ""
                    : " (" + decided.reason() + ")")).publishedAs(decided.published()),
                    reportOnly(step.afterHandshake()));
        });
    }

    /** Opportunistic TLS, decided by this policy, saying what it set aside. */
    private Decision relaxed(Decision earlier, String why) {
        return earlier.raisedTo(TlsLevel.MAY, name(), "none", "TLS-Required: No: " + why);
    }

    /** The policy's check of the session, its failure reported rather than refusing the host. */
    private static AfterHandshake reportOnly(AfterHandshake check) {
        return (peer, decided) -> check.check(peer, decided).thenApply(result -> result.passed() ? result
                : Check.passReporting("none", result.failure()));
    }
}
