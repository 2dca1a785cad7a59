package org.sealpost.transport.tlsrpt;

import java.util.List;
import java.util.Locale;

/**
 * The policy a session was held to, as RFC 8460 4.4 describes it in the report's "policy" object;
 * what results are counted under.
 *
 * @param type tlsa, sts or no-policy-found
 * @param strings the policy as published: the TLSA records in presentation form for tlsa, the lines
 *     of the MTA-STS policy file for sts, none for no-policy-found
 * @param domain the policy-domain: for DANE the MX host whose TLSA records were used, for MTA-STS
 *     and for no policy the recipient domain (RFC 8460 3 and 4.4: DANE policies belong to the MX
 *     host's name, and the report goes to that name's _smtp._tls record)
 * @param mxHosts the mx-host patterns of an MTA-STS policy, or the MX host of a DANE policy
 */
public record AppliedPolicy(PolicyType type, List<String> strings, String domain, List<String> mxHosts) {

    public AppliedPolicy {
        strings = List.copyOf(strings);
        domain = normalized(domain);
        mxHosts = mxHosts.stream().map(AppliedPolicy::normalized).toList();
    }

    /** A DANE policy: the TLSA records found for {@code mxHost}, reported to the MX host's domain. */
    public static AppliedPolicy dane(String mxHost, List<String> tlsaRecords) {
        return new AppliedPolicy(PolicyType.TLSA, tlsaRecords, mxHost, List.of(mxHost));
    }

    /** An MTA-STS policy of {@code recipientDomain}: its policy file lines and mx patterns. */
    public static AppliedPolicy mtaSts(String recipientDomain, List<String> policyLines, List<String> mxPatterns) {
        return new AppliedPolicy(PolicyType.STS, policyLines, recipientDomain, mxPatterns);
    }

    /** Neither DANE nor MTA-STS applied to a delivery to {@code recipientDomain}. */
    public static AppliedPolicy none(String recipientDomain) {
        return new AppliedPolicy(PolicyType.NO_POLICY_FOUND, List.of(), recipientDomain, List.of());
    }

    /** RFC 8460 4.4: domains in A-label form; lower case and without the final dot here. */
    private static String normalized(String name) {
        String lower = java.net.IDN.toASCII(name, java.net.IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
