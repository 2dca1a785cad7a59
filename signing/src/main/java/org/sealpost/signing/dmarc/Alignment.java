package org.sealpost.signing.dmarc;

/** adkim= and aspf= (RFC 9989 3.2.10, 4.7): relaxed, the default, or strict. */
public enum Alignment {
    /** The identifier has the same Organizational Domain as the Author Domain. */
    RELAXED,
    /** The identifier is the Author Domain itself. */
    STRICT
}
