package org.sealpost.signing.dmarc;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;

/**
 * DMARC Policy Discovery (RFC 9989 4.10.1): the record that applies to an Author Domain, taken
 * from the Author Domain itself, else its Organizational Domain, else its Public Suffix Domain,
 * all found by one tree walk. This is what {@code sealpost dmarc record} prints.
 */
public final class PolicyDiscovery {

    private final TreeWalk walk;

    public PolicyDiscovery(DnsResolver dns) {
        this.walk = new TreeWalk(dns);
    }

    /**
     * What the walk found for one domain.
     *
     * @param domain               the Author Domain as looked up (A-labels, lower case)
     * @param record               the record that applies, if one does
     * @param policyDomain         where that record is published ("" when none applies)
     * @param organizationalDomain the Organizational Domain from the walk (RFC 9989 4.10.2), "" when
     *                             the walk failed before it could tell
     * @param walk                 the names queried, in order
     * @param temporaryFailure     why the walk could not finish ("" when it did); with a record, the
     *                             failure came above the Author Domain's own record
     * @param notes                records discarded on the way, and why
     */
    public record Discovery(String domain, Optional<DmarcRecord> record, String policyDomain,
            String organizationalDomain, List<String> walk, String temporaryFailure, List<String> notes) {

        public Discovery {
            walk = List.copyOf(walk);
            notes = List.copyOf(notes);
        }

        /** Whether the policy is unknown: the walk failed before the record that applies was known. */
        public boolean failed() {
            return !temporaryFailure.isEmpty() && record.isEmpty();
        }
    }

    /** Walks from {@code domain}; an invalid name fails with IllegalArgumentException. */
    public CompletableFuture<Discovery> discover(String domain) {
        String name = TreeWalk.normalize(domain)
                .orElseThrow(() -> new IllegalArgumentException("'" + domain + "' is not a domain name"));
        return walk.walk(name).thenApply(PolicyDiscovery::discovery);
    }

    CompletableFuture<TreeWalk.Result> walk(String normalizedDomain) {
        return walk.walk(normalizedDomain);
    }

    static Discovery discovery(TreeWalk.Result result) {
        String start = result.start();
        if (result.failed()) {
            // RFC 9989 4.10.1: the Author Domain's own record is its policy, whatever lies above; a
            // failure higher up leaves only the Organizational Domain unknown (for relaxed alignment).
            Optional<TreeWalk.Found> own = result.at(start);
            return new Discovery(start, own.map(TreeWalk.Found::record), own.isPresent() ? start : "", "",
                    result.queried(), result.temporary(), result.notes());
        }
        String organizational = result.organizationalDomain();
        // RFC 9989 4.10.1: the Author Domain's record, else the Organizational Domain's, else the PSD's.
        // (A PSD's record is not used when the Organizational Domain published one.)
        Optional<TreeWalk.Found> applied = result.at(start)
                .or(() -> result.at(organizational))
                .or(result::publicSuffix);
        return new Discovery(start, applied.map(TreeWalk.Found::record), applied.map(TreeWalk.Found::domain).orElse(""),
                organizational, result.queried(), "", result.notes());
    }
}
