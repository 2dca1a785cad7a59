package org.sealpost.keyexchange.policy;

/**
 * A policy's refusal of a host, before connecting or after the handshake: whether the message
 * should wait (temporary: the next host, then the queue) or bounce, the RFC 3463 code the
 * recipients get, the policy that refused, and the RFC 8460 result type for TLS-RPT.
 */
public record Failure(Kind kind, String enhancedCode, String policy, Rfc8460ResultType resultType, String reason) {

    public enum Kind { TEMPORARY, PERMANENT }

    public Failure {
        if ((kind == Kind.TEMPORARY) != enhancedCode.startsWith("4.")) {
            throw new IllegalArgumentException("a " + kind + " failure cannot have the code " + enhancedCode);
        }
    }

    /** A failure that defers: the message waits rather than downgrades (4.7.5 for most TLS failures). */
    public static Failure temporary(String enhancedCode, String policy, Rfc8460ResultType type, String reason) {
        return new Failure(Kind.TEMPORARY, enhancedCode, policy, type, reason);
    }

    public boolean temporary() {
        return kind == Kind.TEMPORARY;
    }
}
