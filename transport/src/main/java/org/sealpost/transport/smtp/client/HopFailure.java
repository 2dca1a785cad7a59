package org.sealpost.transport.smtp.client;

/**
 * A failure to reach or use one next-hop host, with the RFC 3463 code it gives the recipients
 * if no other host succeeds: 4.4.1 unreachable, 4.7.4 TLS not offered, 4.7.5 TLS failed or the
 * peer not verified, 4.4.6 a loop. The attempt moves on to the next host.
 */
final class HopFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** What failed: it decides whether the host counts as unreachable, and what the attempt does next. */
    enum Kind {
        /** The TCP connection was refused, timed out or had no route: the host is unreachable. */
        UNREACHABLE,
        /** The TLS handshake itself failed (opportunistic TLS may try again in plaintext). */
        TLS_HANDSHAKE,
        /** The destination is marked unavailable: the attempt defers without connecting. */
        SUSPENDED,
        /** Anything else after the host was reached. */
        OTHER
    }

    private final String enhancedCode;
    private final Kind kind;
    private String tlsReached;
    private Target target;
    private org.sealpost.keyexchange.policy.Failure refusal;

    HopFailure(String enhancedCode, String reason, boolean tls) {
        this(enhancedCode, reason, tls ? Kind.TLS_HANDSHAKE : Kind.OTHER, null);
    }

    /** @param tlsReached the TLS session reached before the failure, for the log's tls=, or null */
    HopFailure(String enhancedCode, String reason, Kind kind, String tlsReached) {
        super(reason, null, false, false);
        this.enhancedCode = enhancedCode;
        this.kind = kind;
        this.tlsReached = tlsReached;
    }

    String enhancedCode() {
        return enhancedCode;
    }

    Kind kind() {
        return kind;
    }

    /** The TLS session reached on the host before it failed (e.g. a DANE check), or null for none. */
    String tlsReached() {
        return tlsReached;
    }

    /** Records the TLS session the host was reached over ("none" or null: none). */
    HopFailure over(String tls) {
        this.tlsReached = tls == null || tls.equals("none") ? null : tls;
        return this;
    }

    /** The host that failed, for the relay= of the log line. */
    Target target() {
        return target;
    }

    HopFailure at(Target host) {
        this.target = host;
        return this;
    }

    /** The typed failure when a TLS policy refused the host (for TLS-RPT), else null. */
    org.sealpost.keyexchange.policy.Failure refusal() {
        return refusal;
    }

    HopFailure refusedBy(org.sealpost.keyexchange.policy.Failure failure) {
        this.refusal = failure;
        return this;
    }

    /** Whether TLS itself failed (a handshake error), as opposed to TLS not being offered. */
    boolean tlsHandshake() {
        return kind == Kind.TLS_HANDSHAKE;
    }

    static HopFailure of(Throwable failure, String fallbackCode) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HopFailure hop) {
            return hop;
        }
        if (cause instanceof org.sealpost.keyexchange.policy.PolicyFailure refused) {
            return new HopFailure(refused.failure().enhancedCode(), refused.getMessage(), false).refusedBy(refused.failure());
        }
        return new HopFailure(fallbackCode, String.valueOf(cause.getMessage()), false);
    }
}
