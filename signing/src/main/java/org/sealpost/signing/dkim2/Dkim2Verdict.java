package org.sealpost.signing.dkim2;

import java.util.Locale;

/** The -06 11.1 output states, and none for a message without DKIM2 fields, by their RFC 8601 names. */
public enum Dkim2Verdict {
    PASS,
    /** A hash or signature was not correct. */
    FAIL,
    /** A field or key is absent or malformed, the chain is broken, or the envelope does not match. */
    PERMERROR,
    /** A key could not be fetched for now. */
    TEMPERROR,
    NONE;

    /** The lower-case name written in Authentication-Results (dkim2=pass). */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
