package org.sealpost.signing.dmarc;

import java.util.Objects;

/**
 * The SPF result DMARC takes as input: the result of checking the MAIL FROM identity and that
 * identity's domain (for the null sender, the HELO name; RFC 9989 3.2.4, RFC 7208 2.4).
 */
public record SpfCheck(Result result, String domain) {

    /** The results of RFC 7208 2.6. */
    public enum Result { NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR }

    public SpfCheck {
        Objects.requireNonNull(result, "result");
        domain = domain == null ? "" : domain;
    }

    /** No SPF check was made. */
    public static SpfCheck none() {
        return new SpfCheck(Result.NONE, "");
    }
}
