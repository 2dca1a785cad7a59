package org.sealpost.signing.dmarc;

import java.util.Locale;
import java.util.Optional;

/** A Domain Owner Assessment Policy: the p=, sp= and np= values (RFC 9989 4.7). */
public enum Policy {
    NONE, QUARANTINE, REJECT;

    /** The lower-case token of the record and of Authentication-Results. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** RFC 9989 4.7 t=y: the policy one level below, none staying none. */
    public Policy oneLevelLower() {
        return this == REJECT ? QUARANTINE : NONE;
    }

    /** "none", "quarantine" or "reject", in any case (ABNF strings are case-insensitive, RFC 5234 2.3). */
    static Optional<Policy> of(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> Optional.of(NONE);
            case "quarantine" -> Optional.of(QUARANTINE);
            case "reject" -> Optional.of(REJECT);
            default -> Optional.empty();
        };
    }
}
