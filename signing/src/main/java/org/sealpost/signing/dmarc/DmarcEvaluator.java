package org.sealpost.signing.dmarc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dmarc.PolicyDiscovery.Discovery;

/**
 * DMARC evaluation (RFC 9989 5.3) of a message's Author Domains against its DKIM results and SPF
 * result: policy discovery, identifier alignment, pass or fail, and the policy to apply.
 *
 * <p>The caller refuses a message without a From field or with several (RFC 5322 3.6, RFC 9989 4.4:
 * DMARC cannot evaluate it) and gives the domains of the one From field's addresses. Each is
 * evaluated and the strictest outcome applies (RFC 9989 5.3.1 and 11.5).
 */
public final class DmarcEvaluator {

    /** RFC 9989 11.5: a limit on the Author Domains evaluated, so that a long From field cannot flood DNS. */
    public static final int MAX_AUTHOR_DOMAINS = 10;

    private final DnsResolver dns;

    public DmarcEvaluator(DnsResolver dns) {
        this.dns = dns;
    }

    /**
     * Evaluates each distinct domain of {@code authorDomains} (at least one, at most
     * {@link #MAX_AUTHOR_DOMAINS} of them are evaluated).
     */
    public CompletableFuture<DmarcVerdict> evaluate(List<String> authorDomains, List<DkimResult> dkim, SpfCheck spf) {
        if (authorDomains.isEmpty()) {
            throw new IllegalArgumentException("no Author Domain: a message without a From address is refused before DMARC");
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        authorDomains.forEach(d -> distinct.add(TreeWalk.normalize(d).orElse(d)));
        List<String> evaluated = new ArrayList<>(distinct).subList(0, Math.min(distinct.size(), MAX_AUTHOR_DOMAINS));
        OrganizationalDomains organizational = new OrganizationalDomains(new TreeWalk(dns));
        List<CompletableFuture<DmarcEvaluation>> each = evaluated.stream()
                .map(d -> new Evaluation(d, dkim, spf, organizational).run()).toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done -> new DmarcVerdict(each.stream().map(CompletableFuture::join).toList(),
                        evaluated.size() == distinct.size()));
    }

    /** The steps for one Author Domain. */
    private final class Evaluation {

        private final String author;
        private final List<DkimResult> dkim;
        private final SpfCheck spf;
        private final OrganizationalDomains organizational;

        Evaluation(String author, List<DkimResult> dkim, SpfCheck spf, OrganizationalDomains organizational) {
            this.author = author;
            this.dkim = dkim;
            this.spf = spf;
            this.organizational = organizational;
        }

        CompletableFuture<DmarcEvaluation> run() {
            if (TreeWalk.normalize(author).isEmpty()) {
                return CompletableFuture.completedFuture(new DmarcEvaluation(author, DmarcResult.PERMERROR,
                        Optional.empty(), Policy.NONE, false, "", "", "'" + author + "' is not a domain name", List.of()));
            }
            return organizational.walk(author).thenApply(PolicyDiscovery::discovery).thenCompose(this::withPolicy);
        }

        private CompletableFuture<DmarcEvaluation> withPolicy(Discovery found) {
            if (found.failed()) {
                // RFC 9989 4.10.1: the handling of DNS errors is the receiver's; here a temperror.
                return done(found, DmarcResult.TEMPERROR, Optional.empty(), false,
                        "the policy lookup failed: " + found.temporaryFailure());
            }
            if (found.record().isEmpty()) {
                return done(found, DmarcResult.NONE, Optional.empty(), false, "no DMARC record for " + author
                        + " or above it");
            }
            DmarcRecord record = found.record().get();
            if (!record.policyValid() && !record.applicableAsNone()) {
                // RFC 9989 4.10.1: without a valid p= (or with a bad sp=/np=) and no valid rua=, DMARC does
                // not apply the record; RFC 9989 9.2 calls an improperly formatted record a permerror.
                return done(found, DmarcResult.PERMERROR, Optional.empty(), record.testing(), "the record at _dmarc."
                        + found.policyDomain() + " cannot be applied: " + String.join("; ", record.problems()));
            }
            return policyFor(found, record).thenCompose(policy -> policy.isEmpty()
                    ? done(found, DmarcResult.TEMPERROR, Optional.empty(), record.testing(),
                            "cannot tell whether " + author + " exists, which decides between sp= and np=")
                    : align(found, record, policy.get()));
        }

        /** RFC 9989 4.10.1: p= for the domain's own record; sp= or np= for a subdomain; empty when unknown. */
        private CompletableFuture<Optional<Policy>> policyFor(Discovery found, DmarcRecord record) {
            if (!record.policyValid()) {
                return CompletableFuture.completedFuture(Optional.of(Policy.NONE));
            }
            Policy p = record.policy().orElseThrow();
            if (found.policyDomain().equals(author)) {
                return CompletableFuture.completedFuture(Optional.of(p));
            }
            Policy existing = record.subdomainPolicy().orElse(p);
            Optional<Policy> np = record.nonExistentPolicy();
            if (np.isEmpty() || np.get() == existing) {
                return CompletableFuture.completedFuture(Optional.of(existing));
            }
            return new Existence(dns).of(author).thenApply(state -> switch (state) {
                case EXISTS -> Optional.of(existing);
                case DOES_NOT_EXIST -> np;
                case UNKNOWN -> Optional.empty();
            });
        }

        private CompletableFuture<DmarcEvaluation> align(Discovery found, DmarcRecord record, Policy policy) {
            IdentifierAlignment alignment = new IdentifierAlignment(author, found.organizationalDomain(), organizational);
            return alignment.check(record, dkim, spf).thenApply(outcome -> {
                if (outcome.passed()) {
                    return evaluation(found, DmarcResult.PASS, Optional.of(policy), Policy.NONE, record.testing(),
                            outcome.reason());
                }
                if (outcome.temporary()) {
                    return evaluation(found, DmarcResult.TEMPERROR, Optional.of(policy), Policy.NONE, record.testing(),
                            outcome.reason());
                }
                // RFC 9989 4.7 t=y: the policy applied is one level below the one published.
                Policy disposition = record.testing() ? policy.oneLevelLower() : policy;
                return evaluation(found, DmarcResult.FAIL, Optional.of(policy), disposition, record.testing(),
                        outcome.reason() + (record.testing() && disposition != policy ? "; t=y: " + disposition.token()
                                + " applied instead of " + policy.token() : ""));
            });
        }

        private CompletableFuture<DmarcEvaluation> done(Discovery found, DmarcResult result, Optional<Policy> policy,
                boolean testing, String reason) {
            return CompletableFuture.completedFuture(evaluation(found, result, policy, Policy.NONE, testing, reason));
        }

        private DmarcEvaluation evaluation(Discovery found, DmarcResult result, Optional<Policy> policy,
                Policy disposition, boolean testing, String reason) {
            return new DmarcEvaluation(author, result, policy, disposition, testing, found.policyDomain(),
                    found.organizationalDomain(), reason, found.walk());
        }
    }
}
