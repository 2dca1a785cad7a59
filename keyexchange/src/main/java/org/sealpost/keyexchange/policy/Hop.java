package org.sealpost.keyexchange.policy;

/**
 * One MX host of a delivery attempt, as the policies see it before connecting.
 *
 * @param domain the next-hop domain whose MX records named the host (a DANE reference name, the
 *     key of static policies, pin modes and MTA-STS)
 * @param host the MX host as connected to (an address literal without brackets)
 * @param mxSecure whether the MX records were SECURE (or no MX lookup was made)
 */
public record Hop(String domain, String host, int port, boolean mxSecure) {

    /**
     * Whether the host is an address ("192.0.2.7", "2001:db8::7") rather than a name: a name never
     * holds ':', and no top-level domain is all digits (RFC 3696 2). An address has no DNSSEC name
     * for DANE and no policy domain for MTA-STS.
     */
    public boolean ipLiteral() {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }
}
