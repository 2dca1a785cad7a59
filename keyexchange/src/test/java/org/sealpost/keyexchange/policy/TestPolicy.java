package org.sealpost.keyexchange.policy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for one policy of the list, at the place its name gives it: it raises the level to
 * a given one (or leaves the decision as it is) and answers every check of the session with one
 * result. Built from a factory and narrowed with the {@code with}-style methods, each returning a
 * new policy.
 */
public final class TestPolicy implements DeliveryPolicy {

    private final String name;
    private final TlsLevel level;
    private final String verification;
    private final String reason;
    private final boolean onlyUnderDane;
    private final PublishedPolicy published;
    private final Check check;
    private final AtomicInteger asked;

    private TestPolicy(String name, TlsLevel level, String verification, String reason, boolean onlyUnderDane,
            PublishedPolicy published, Check check, AtomicInteger asked) {
        this.name = name;
        this.level = level;
        this.verification = verification;
        this.reason = reason;
        this.onlyUnderDane = onlyUnderDane;
        this.published = published;
        this.check = check;
        this.asked = asked;
    }

    /** Raises the level to {@code level}, verification "none", no reason, nothing to check after the handshake. */
    public static TestPolicy deciding(String name, TlsLevel level) {
        return new TestPolicy(name, level, "none", "", false, null, null, new AtomicInteger());
    }

    /** Leaves the decision as the earlier policies made it. */
    public static TestPolicy unchanged(String name) {
        return new TestPolicy(name, null, "none", "", false, null, null, new AtomicInteger());
    }

    /** Refuses every host before connecting (a bogus TLSA lookup, an MX outside an MTA-STS policy). */
    public static DeliveryPolicy refusing(String name) {
        return new DeliveryPolicy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CompletableFuture<Step> beforeConnect(Hop hop, Decision earlier) {
                return CompletableFuture.failedFuture(new PolicyFailure(Failure.temporary("4.7.5", name,
                        Rfc8460ResultType.VALIDATION_FAILURE, name + " refused " + hop.host())));
            }
        };
    }

    /** The decision says the peer is verified as {@code how} ("dane", "verify", "none"). */
    public TestPolicy verifiedAs(String how) {
        return new TestPolicy(name, level, how, reason, onlyUnderDane, published, check, asked);
    }

    public TestPolicy because(String why) {
        return new TestPolicy(name, level, verification, why, onlyUnderDane, published, check, asked);
    }

    /** As DanePolicy: it decides only where the level so far asks for dane or dane-only. */
    public TestPolicy onlyUnderDane() {
        return new TestPolicy(name, level, verification, reason, true, published, check, asked);
    }

    /** The decision names {@code policy} as the published policy (for TLS-RPT). */
    public TestPolicy publishing(PublishedPolicy policy) {
        return new TestPolicy(name, level, verification, reason, onlyUnderDane, policy, check, asked);
    }

    /** Every check of the session after the handshake answers {@code result}. */
    public TestPolicy checking(Check result) {
        return new TestPolicy(name, level, verification, reason, onlyUnderDane, published, result, asked);
    }

    /** Each check of the session counts one in {@code counter} (shared by several policies, if wished). */
    public TestPolicy countingIn(AtomicInteger counter) {
        return new TestPolicy(name, level, verification, reason, onlyUnderDane, published, check, counter);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Step> beforeConnect(Hop hop, Decision earlier) {
        if (onlyUnderDane && earlier.level() != TlsLevel.DANE && earlier.level() != TlsLevel.DANE_ONLY) {
            return Step.unchanged(earlier);
        }
        Decision decision = level == null ? earlier : earlier.raisedTo(level, name, verification, reason);
        if (published != null) {
            decision = decision.publishedAs(published);
        }
        AfterHandshake after = check == null ? AfterHandshake.NOTHING : (peer, decided) -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(check);
        };
        return CompletableFuture.completedFuture(new Step(decision, after));
    }
}
