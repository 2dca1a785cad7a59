package org.sealpost.signing.arc;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of RFC 8617 5.2 for one message.
 *
 * @param status     none, pass or fail (the "arc=" result of RFC 8601 and the cv= for our own seal)
 * @param reason     why it failed, or what it rests on; never empty for a failure
 * @param temporary  a failure that came from a DNS lookup (timeout, SERVFAIL, BOGUS) rather than from the message:
 *                   a verdict may defer on it instead of acting on the failure
 * @param oldestPass RFC 8617 5.2 step 6: 0 when every ARC-Message-Signature verified, else the lowest instance
 *                   from which the message signatures verify; 0 also for none and for a failure
 * @param sets       each set, i=1 first; empty when the structure did not allow reading them
 */
public record ArcResult(ArcStatus status, String reason, boolean temporary, int oldestPass, List<ArcSetResult> sets) {

    public ArcResult {
        sets = List.copyOf(sets);
    }

    static ArcResult none() {
        return new ArcResult(ArcStatus.NONE, "no ARC sets", false, 0, List.of());
    }

    static ArcResult fail(String reason) {
        return new ArcResult(ArcStatus.FAIL, reason, false, 0, List.of());
    }

    /** The newest set (highest i=), when the sets could be read. */
    public Optional<ArcSetResult> newest() {
        return sets.isEmpty() ? Optional.empty() : Optional.of(sets.get(sets.size() - 1));
    }

    /** The number of sets read (N), 0 for none. */
    public int instances() {
        return sets.size();
    }

    /**
     * The arc= result of RFC 8601 with the property RFC 8617 10.1 registers: {@code arc=pass header.oldest-pass=0};
     * a failure carries its reason in a comment. The caller adds {@code smtp.remote-ip} if it wants it.
     */
    public String toAuthenticationResults() {
        StringBuilder out = new StringBuilder("arc=").append(status.tag());
        if (status == ArcStatus.FAIL) {
            out.append(" (").append(reason.replace('(', '[').replace(')', ']')).append(')');
        }
        if (status == ArcStatus.PASS) {
            out.append(" header.oldest-pass=").append(oldestPass);
        }
        return out.toString();
    }
}
