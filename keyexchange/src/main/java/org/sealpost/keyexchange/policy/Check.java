package org.sealpost.keyexchange.policy;

/**
 * One policy's verdict on an open connection: passed, with how the peer was verified ("none"
 * when this policy authenticated nobody), or failed: the verification tried, and a typed {@link Failure}.
 */
public record Check(String method, Failure failure) {

    public static Check pass(String method) {
        return new Check(method, null);
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
