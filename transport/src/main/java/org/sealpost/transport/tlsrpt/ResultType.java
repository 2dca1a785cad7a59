package org.sealpost.transport.tlsrpt;

import java.util.Locale;

/**
 * The result types of RFC 8460 4.3: why a session failed, as the report names it. The negotiation
 * failures (4.3.1) apply to every policy; the DANE ones (4.3.2) to tlsa policies, the MTA-STS ones
 * (4.3.3) to sts policies.
 */
public enum ResultType {
    STARTTLS_NOT_SUPPORTED,
    CERTIFICATE_HOST_MISMATCH,
    CERTIFICATE_EXPIRED,
    CERTIFICATE_NOT_TRUSTED,
    VALIDATION_FAILURE,
    TLSA_INVALID,
    DNSSEC_INVALID,
    DANE_REQUIRED,
    STS_POLICY_FETCH_ERROR,
    STS_POLICY_INVALID,
    STS_WEBPKI_INVALID;

    /** The name in the report, e.g. {@code certificate-expired}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type of a report name, for the store. */
    static ResultType of(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
