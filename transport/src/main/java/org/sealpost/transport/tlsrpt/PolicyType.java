package org.sealpost.transport.tlsrpt;

import java.util.Locale;

/** The policy-type of RFC 8460 4.4: DANE (tlsa), MTA-STS (sts), or neither (no-policy-found). */
public enum PolicyType {
    TLSA,
    STS,
    NO_POLICY_FOUND;

    /** The name in the report. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static PolicyType of(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
