package org.sealpost.dnssec;

/** How far an answer can be trusted. */
public enum Security {
    /** Validated through an unbroken chain of signatures from a trust anchor. */
    SECURE,
    /** Provably unsigned, or not validated at all (the plain resolver). */
    INSECURE,
    /** Validation failed: the answer may be forged and must not be used. */
    BOGUS
}
