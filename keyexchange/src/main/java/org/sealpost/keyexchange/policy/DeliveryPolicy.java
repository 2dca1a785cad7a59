package org.sealpost.keyexchange.policy;

import java.util.concurrent.CompletableFuture;

/**
 * One outbound TLS policy, in the one ordered list of {@link Policies}. It is asked twice for
 * each MX host: before connecting, with what the policies before it required, it may raise the
 * level or refuse the host; after the handshake (and EHLO again) it checks the session against
 * what it required. It never lowers what an earlier policy required; the list enforces that.
 */
public interface DeliveryPolicy {

    /** The policy's name, one of {@link Policies#ORDER}. */
    String name();

    /**
     * Before the host is contacted: completes with this policy's step (the decision after it and
     * its check of the session), or fails with a {@link PolicyFailure} when the host must not be
     * used (the attempt moves on to the next host).
     */
    CompletableFuture<Step> beforeConnect(Hop hop, Decision earlier);

    /** The check a policy makes once the connection is open, given what the whole list decided. */
    @FunctionalInterface
    interface AfterHandshake {

        CompletableFuture<Check> check(PeerSession peer, Decision decided);

        /** A policy that has nothing to check in the session. */
        AfterHandshake NOTHING = (peer, decided) -> CompletableFuture.completedFuture(Check.unauthenticated());
    }

    /** What one policy made of the host: the decision after it, and its check of the session. */
    record Step(Decision decision, AfterHandshake afterHandshake) {

        /** This policy does not apply to the host: the decision stays, nothing to check. */
        public static CompletableFuture<Step> unchanged(Decision earlier) {
            return CompletableFuture.completedFuture(new Step(earlier, AfterHandshake.NOTHING));
        }
    }
}
