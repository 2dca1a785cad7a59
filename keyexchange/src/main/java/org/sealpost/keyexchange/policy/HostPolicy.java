package org.sealpost.keyexchange.policy;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the list of {@link Policies} requires of one MX host: the decision the client connects
 * by, and the policies' checks of the session once it is open.
 */
public final class HostPolicy {

    private final Decision decision;
    private final List<DeliveryPolicy.AfterHandshake> checks;
    private final boolean relaxed;

    HostPolicy(Decision decision, List<DeliveryPolicy.AfterHandshake> checks) {
        this(decision, checks, false);
    }

    HostPolicy(Decision decision, List<DeliveryPolicy.AfterHandshake> checks, boolean relaxed) {
        this.decision = decision;
        this.checks = List.copyOf(checks);
        this.relaxed = relaxed;
    }

    /**
     * Whether the relaxed list of a message with TLS-Required: No decided it: a connection opened
     * under it may be weaker than the strict list allows, so it never carries other messages.
     */
    public boolean relaxed() {
        return relaxed;
    }

    /** A host policy of the given level that checks nothing (for tests and diagnostics). */
    public static HostPolicy unauthenticated(TlsLevel level, String decidedBy) {
        return new HostPolicy(new Decision(level, decidedBy, "none", false, ""), List.of());
    }

    public Decision decision() {
        return decision;
    }

    public TlsLevel level() {
        return decision.level();
    }

    /** Which policy decided, for the logs. */
    public String decidedBy() {
        return decision.decidedBy();
    }

    /**
     * Checks the open connection once EHLO is answered, with or without TLS: every policy in
     * order, the first failure refusing the host. The method is the first policy's that verified
     * the peer ("none" when none did), and a pass carries the first failure a policy only
     * reports. Whether plaintext is allowed at all is the level's business.
     */
    public CompletableFuture<Check> afterHandshake(PeerSession peer) {
        return check(0, peer, Check.unauthenticated());
    }

    private CompletableFuture<Check> check(int index, PeerSession peer, Check sofar) {
        if (index == checks.size()) {
            return CompletableFuture.completedFuture(sofar);
        }
        return checks.get(index).check(peer, decision).thenCompose(check -> {
            if (!check.passed()) {
                return CompletableFuture.completedFuture(check);
            }
            Check verified = sofar.method().equals("none") ? check : sofar;
            Failure reported = sofar.reportOnly() != null ? sofar.reportOnly() : check.reportOnly();
            return check(index + 1, peer, new Check(verified.method(), null, reported));
        });
    }

    @Override
    public String toString() {
        return decision.toString();
    }
}
