package org.sealpost.signing.spf;

import java.util.Locale;

/** The results of check_host() (RFC 7208 2.6). */
public enum SpfResult {
    /** No syntactically valid domain, or no SPF record at it (2.6.1). */
    NONE,
    /** The domain states nothing about the client (2.6.2). */
    NEUTRAL,
    /** The client is authorized (2.6.3). */
    PASS,
    /** The client is not authorized (2.6.4). */
    FAIL,
    /** Probably not authorized, but the domain does not ask for a strong policy (2.6.5). */
    SOFTFAIL,
    /** A transient DNS error; a later check may succeed (2.6.6). */
    TEMPERROR,
    /** The published records cannot be interpreted correctly (2.6.7). */
    PERMERROR;

    /** The name as RFC 7208 and RFC 8601 write it: "pass", "softfail", ... */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
