package org.sealpost.keyexchange.mtasts;

/** The mode of an MTA-STS policy (RFC 8461 3.2, 5). */
public enum StsMode {
    /** Deliver only to an MX the policy names, over TLS with a WebPKI chain valid for its name. */
    ENFORCE("enforce"),
    /** Deliver anyway, but report a failure through TLS-RPT (RFC 8460). */
    TESTING("testing"),
    /** Treat the domain as if it had no policy; published to withdraw an earlier one (RFC 8461 8.3). */
    NONE("none");

    private final String text;

    StsMode(String text) {
        this.text = text;
    }

    /** The mode as the policy file spells it. */
    public String text() {
        return text;
    }
}
