package org.sealpost.signing.dmarc;

import java.util.List;
import java.util.Optional;

/**
 * The DMARC outcome for one Author Domain.
 *
 * @param authorDomain         the RFC5322.From domain evaluated (A-labels, lower case)
 * @param result               none, pass, fail, temperror, permerror (RFC 9989 9.2)
 * @param policy               the policy the record asks for this domain (p=, sp= or np=), when one applies and is known
 * @param disposition          what to apply: the policy on fail, one level lower under t=y; none otherwise
 * @param testing              the record carries t=y
 * @param policyDomain         where the applied record is published ("" when none)
 * @param organizationalDomain the Author Domain's Organizational Domain from the walk ("" when unknown)
 * @param reason               why, in words, naming the identifiers that aligned or did not
 * @param walk                 the names queried for the policy, in order
 */
public record DmarcEvaluation(String authorDomain, DmarcResult result, Optional<Policy> policy, Policy disposition,
        boolean testing, String policyDomain, String organizationalDomain, String reason, List<String> walk) {

    public DmarcEvaluation {
        walk = List.copyOf(walk);
    }

    /**
     * How strict the outcome is, for choosing among several Author Domains (RFC 9989 11.5: the
     * strictest policy among the checks that fail): a fail to reject, then a temperror that may hide
     * an enforced policy, a fail to quarantine, a fail under none, a temperror under p=none, a
     * permerror, none, and pass.
     */
    int severity() {
        return switch (result) {
            case FAIL -> disposition == Policy.REJECT ? 7 : disposition == Policy.QUARANTINE ? 5 : 4;
            case TEMPERROR -> policy.map(p -> p == Policy.NONE ? 3 : 6).orElse(6);
            case PERMERROR -> 2;
            case NONE -> 1;
            case PASS -> 0;
        };
    }

    /**
     * The Authentication-Results resinfo (RFC 8601 2.7.1), e.g. {@code dmarc=fail (p=reject dis=reject)
     * header.from=example.com}; the comment only when a policy is known.
     */
    public String toAuthenticationResults() {
        StringBuilder out = new StringBuilder("dmarc=").append(result.token());
        policy.ifPresent(p -> out.append(" (p=").append(p.token()).append(" dis=").append(disposition.token()).append(')'));
        return out.append(" header.from=").append(authorDomain).toString();
    }
}
