package org.sealpost.keyexchange.policy;

import java.util.List;

/**
 * The published policy a connection is held to, as a TLS report names it (RFC 8460 4.4): DANE's
 * TLSA records of the MX host, the MTA-STS policy of the recipient domain, or neither. A decision
 * carries it so that the outcome of each session can be counted under the policy that applied.
 *
 * @param type which kind of policy
 * @param strings the policy as published: the TLSA records in presentation form, or the lines of
 *     the MTA-STS policy file (empty when it could not be fetched)
 * @param domain the policy domain: the MX host for DANE, the recipient domain for MTA-STS; empty
 *     for {@link #NONE}, whose reports go to the next-hop domain
 * @param mxHosts the MX host of a DANE policy, the mx patterns of an MTA-STS policy
 */
public record PublishedPolicy(Type type, List<String> strings, String domain, List<String> mxHosts) {

    /** RFC 8460 4.4 policy-type: tlsa, sts, or no-policy-found. */
    public enum Type { TLSA, STS, NONE }

    /** No DANE and no MTA-STS policy applied. */
    public static final PublishedPolicy NONE = new PublishedPolicy(Type.NONE, List.of(), "", List.of());

    public PublishedPolicy {
        strings = List.copyOf(strings);
        mxHosts = List.copyOf(mxHosts);
    }

    /** The TLSA records of {@code mxHost}, in presentation form. */
    public static PublishedPolicy tlsa(String mxHost, List<String> records) {
        return new PublishedPolicy(Type.TLSA, records, mxHost, List.of(mxHost));
    }

    /** The MTA-STS policy of {@code domain}: its file's lines and its mx patterns (both empty when not fetched). */
    public static PublishedPolicy sts(String domain, List<String> policyLines, List<String> mxPatterns) {
        return new PublishedPolicy(Type.STS, policyLines, domain, mxPatterns);
    }
}
