package org.sealpost.signing.dmarc;

import java.util.Locale;

/** The DMARC result names of RFC 9989 9.2 (RFC 8601 2.7). */
public enum DmarcResult {
    /** No DMARC Policy Record applies to the Author Domain. */
    NONE,
    /** An authenticated identifier is aligned with the Author Domain. */
    PASS,
    /** A record applies, and no authenticated identifier is aligned. */
    FAIL,
    /** A lookup the result depends on failed for now; trying later may decide it. */
    TEMPERROR,
    /** The record that applies cannot be used (no valid p= and no reporting address). */
    PERMERROR;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
