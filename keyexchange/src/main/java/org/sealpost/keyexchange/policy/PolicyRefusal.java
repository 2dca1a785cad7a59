package org.sealpost.keyexchange.policy;

/**
 * A policy's refusal to use a host, with the RFC 3463 code the recipients get if no other host
 * will do (4.7.5 for DANE failures: temporary, so the message waits rather than downgrades).
 */
public final class PolicyRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String enhancedCode;

    public PolicyRefusal(String enhancedCode, String reason) {
        super(reason, null, false, false);
        this.enhancedCode = enhancedCode;
    }

    public String enhancedCode() {
        return enhancedCode;
    }
}
