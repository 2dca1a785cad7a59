package org.sealpost.keyexchange.policy;

/**
 * One policy's verdict on an open connection: passed, with how the peer was verified ("none"
 * when this policy authenticated nobody), or failed: the verification tried, and a typed {@link Failure}.
 * A pass may still carry a failure that is only reported ({@code reportOnly}): an MTA-STS policy in
 * testing mode (RFC 8461 5) delivers whatever the check finds, and TLS-RPT counts what it found.
 */
public record Check(String method, Failure failure, Failure reportOnly) {

    public Check(String method, Failure failure) {
        this(method, failure, null);
    }

    public static Check pass(String method) {
        return new Check(method, null);
    }

    /** Passed, though the policy found {@code found}: it is reported, never acted on. */
    public static Check passReporting(String method, Failure found) {
        return new Check(method, null, found);
    }

    /** Passed without authenticating the peer (the policy had nothing to check). */
    public static Check unauthenticated() {
        return pass("none");
    }

    /** @param method the verification that failed ("dane", "verify", "xkeys"), as the logs name it */
    public static Check fail(String method, Failure failure) {
        return new Check(method, failure);
    }

    public boolean passed() {
        return failure == null;
    }

    public String reason() {
        return failure == null ? "" : failure.reason();
    }
}
