package org.sealpost.signing.dkim;

import java.util.Locale;

/** The result of checking one signature, by the names of RFC 8601 2.7.1. */
public enum Verdict {
    /** The signature verified with a usable key. */
    PASS,
    /** The signature or its body hash did not verify. */
    FAIL,
    /** The signature was not evaluated (for example, more signatures than the configured limit). */
    NEUTRAL,
    /** A temporary failure, usually of the key lookup; trying again later may succeed. */
    TEMPERROR,
    /** The signature or its key record is unusable; trying again will not help. */
    PERMERROR,
    /** The signature verified but is not acceptable to local policy. */
    POLICY;

    /** The lower-case name written in Authentication-Results. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
