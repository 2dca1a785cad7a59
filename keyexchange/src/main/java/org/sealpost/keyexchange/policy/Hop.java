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
}
