package org.sealpost.keyexchange.policy;

/**
 * The check of an established TLS connection against a hop policy. {@code method} says how the
 * peer was verified ("none" when it was not); a failed check carries the reason.
 */
public record Verification(boolean passed, String method, String reason) {

    public static Verification unauthenticated() {
        return new Verification(true, "none", "");
    }

    public static Verification failed(String method, String reason) {
        return new Verification(false, method, reason);
    }
}
