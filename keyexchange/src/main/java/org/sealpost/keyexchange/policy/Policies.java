package org.sealpost.keyexchange.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The one ordered list of outbound TLS policies (docs/security-levels.md has the same table).
 * Before a host is contacted each policy in turn sees what the earlier ones required and may
 * raise it or refuse the host; after the handshake each checks the session, in the same order,
 * and the first failure refuses the host. Precedence is the order: a later policy never lowers
 * what an earlier one required, so MTA-STS can never override a failing DANE check.
 */
public final class Policies {

    /**
     * The order of the list: what the operator configured (a static tls_policy, else the default
     * level), then DANE where that level asks for it, then MTA-STS, then the XKEYS pins, and last
     * the certificate-authority check of the verify and secure levels.
     */
    public static final List<String> ORDER = List.of("static", "default", "dane", "mta-sts", "xkeys", "pkix");

    private final List<DeliveryPolicy> policies;
    private final boolean relaxed;
    private final Policies relaxedList;

    /** @param policies the policies in use, in the order of {@link #ORDER} (absent ones are left out) */
    public Policies(List<DeliveryPolicy> policies) {
        this(policies, false);
    }

    private Policies(List<DeliveryPolicy> policies, boolean relaxed) {
        int last = -1;
        for (DeliveryPolicy policy : policies) {
            int index = ORDER.indexOf(policy.name());
            if (index <= last) {
                throw new IllegalArgumentException("policy " + policy.name() + " is out of the order " + ORDER);
            }
            last = index;
        }
        this.policies = List.copyOf(policies);
        this.relaxed = relaxed;
        this.relaxedList = relaxed ? this : new Policies(policies.stream()
                .map(p -> RelaxedPolicy.RELAXABLE.contains(p.name()) ? (DeliveryPolicy) new RelaxedPolicy(p) : p).toList(), true);
    }

    /**
     * The same list for a message with {@code TLS-Required: No} (RFC 8689 4.2.2): DANE and MTA-STS
     * only report what they would have required, in the same order; the static tls_policy and a
     * default level that requires TLS stay as strict as they are.
     */
    public Policies relaxed() {
        return relaxedList;
    }

    /** Whether this is the list of {@link #relaxed()}. */
    public boolean isRelaxed() {
        return relaxed;
    }

    /** The names of the policies in use, in order. */
    public List<String> names() {
        return policies.stream().map(DeliveryPolicy::name).toList();
    }

    /** What the list requires of one host; fails with a {@link PolicyFailure} when a policy refuses it. */
    public CompletableFuture<HostPolicy> beforeConnect(Hop hop) {
        return step(0, hop, Decision.undecided(), new ArrayList<>()).thenApply(steps -> {
            Decision decided = steps.isEmpty() ? Decision.undecided() : steps.get(steps.size() - 1).decision();
            unwired(decided);
            return new HostPolicy(decided, steps.stream().map(DeliveryPolicy.Step::afterHandshake).toList(), relaxed);
        });
    }

    private CompletableFuture<List<DeliveryPolicy.Step>> step(int index, Hop hop, Decision earlier,
            List<DeliveryPolicy.Step> steps) {
        if (index == policies.size()) {
            return CompletableFuture.completedFuture(steps);
        }
        DeliveryPolicy policy = policies.get(index);
        return policy.beforeConnect(hop, earlier).thenCompose(step -> {
            if (strength(step.decision().level()) < strength(earlier.level())) {
                throw new IllegalStateException("policy " + policy.name() + " lowered " + earlier + " to " + step.decision());
            }
            steps.add(step);
            return step(index + 1, hop, step.decision(), steps);
        });
    }

    /**
     * How much a level requires of the connection. dane is "DANE where the records allow, else
     * opportunistic TLS": as a requirement it is may until the DANE policy has looked.
     */
    private static int strength(TlsLevel level) {
        return level == TlsLevel.DANE ? TlsLevel.MAY.ordinal() : level.ordinal();
    }

    /** A level whose check is not in the list would pass unchecked: refuse it instead (wiring without DNS). */
    private void unwired(Decision decided) {
        String needed = switch (decided.level()) {
            case DANE, DANE_ONLY -> "dane";
            case VERIFY, SECURE -> "pkix";
            default -> null;
        };
        if (needed != null && !names().contains(needed)) {
            throw new IllegalStateException("the " + decided.level().configName() + " level is not wired here");
        }
    }
}
