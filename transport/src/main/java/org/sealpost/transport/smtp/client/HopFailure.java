package org.sealpost.transport.smtp.client;

/**
 * A failure to reach or use one next-hop host, with the RFC 3463 code it gives the recipients
 * if no other host succeeds: 4.4.1 unreachable, 4.7.4 TLS not offered, 4.7.5 TLS failed or the
 * peer not verified, 4.4.6 a loop. The attempt moves on to the next host.
 */
final class HopFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final String enhancedCode;
    private final boolean tls;
    private Target target;

    HopFailure(String enhancedCode, String reason, boolean tls) {
        super(reason, null, false, false);
        this.enhancedCode = enhancedCode;
        this.tls = tls;
    }

    String enhancedCode() {
        return enhancedCode;
    }

    /** The host that failed, for the relay= of the log line. */
    Target target() {
        return target;
    }

    HopFailure at(Target host) {
        this.target = host;
        return this;
    }

    /** Whether TLS itself failed (a handshake error), as opposed to TLS not being offered. */
    boolean tlsHandshake() {
        return tls;
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
        if (cause instanceof org.sealpost.keyexchange.policy.PolicyRefusal refusal) {
            return new HopFailure(refusal.enhancedCode(), refusal.getMessage(), false);
        }
        return new HopFailure(fallbackCode, String.valueOf(cause.getMessage()), false);
    }
}
