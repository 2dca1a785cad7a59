package org.sealpost.signing.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.Verdict;

/**
 * Identifier alignment (RFC 9989 4.4, 4.10.2) of the DKIM signing domains and the SPF domain with
 * one Author Domain: strict is the same name; relaxed is the same Organizational Domain, each found
 * by its own tree walk.
 */
final class IdentifierAlignment {

    /** The outcome: an aligned pass, or none with a lookup that might still give one, or a plain fail. */
    record Outcome(boolean passed, boolean temporary, String reason) {
    }

    /** One identifier to compare: where it came from, its domain, and whether its check passed or failed for now. */
    private record Identifier(String method, String domain, boolean passed, Alignment mode) {
        String label() {
            return method + " " + domain;
        }
    }

    private enum Aligned { YES, NO, UNKNOWN }

    private final String author;
    private final String authorOrganizational;
    private final OrganizationalDomains organizational;

    IdentifierAlignment(String author, String authorOrganizational, OrganizationalDomains organizational) {
        this.author = author;
        this.authorOrganizational = authorOrganizational;
        this.organizational = organizational;
    }

    CompletableFuture<Outcome> check(DmarcRecord record, List<DkimResult> dkim, SpfCheck spf) {
        List<Identifier> identifiers = new ArrayList<>();
        // RFC 9989 4.4.1: a DKIM signature's d= is an identifier when the signature verified. One that
        // failed for now (temperror) might have passed: it counts when it would be aligned.
        for (DkimResult result : dkim) {
            if ((result.verdict() == Verdict.PASS || result.verdict() == Verdict.TEMPERROR) && !result.domain().isEmpty()) {
                identifiers.add(new Identifier("DKIM", result.domain(), result.verdict() == Verdict.PASS, record.dkimAlignment()));
            }
        }
        // RFC 9989 4.4.2: the MAIL FROM identity when SPF passed it.
        if ((spf.result() == SpfCheck.Result.PASS || spf.result() == SpfCheck.Result.TEMPERROR) && !spf.domain().isEmpty()) {
            identifiers.add(new Identifier("SPF", spf.domain(), spf.result() == SpfCheck.Result.PASS, record.spfAlignment()));
        }
        List<CompletableFuture<Aligned>> checks = identifiers.stream().map(this::aligned).toList();
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<String> notAligned = new ArrayList<>();
            List<String> pending = new ArrayList<>();
            for (int i = 0; i < identifiers.size(); i++) {
                Identifier id = identifiers.get(i);
                Aligned aligned = checks.get(i).join();
                if (aligned == Aligned.YES && id.passed()) {
                    return new Outcome(true, false, id.label() + " passed and is aligned with " + author
                            + " (" + id.mode().name().toLowerCase() + ")");
                }
                if (aligned == Aligned.UNKNOWN) {
                    pending.add(id.label() + " (its Organizational Domain could not be looked up)");
                } else if (aligned == Aligned.YES) {
                    pending.add(id.label() + " (temperror)");
                } else {
                    notAligned.add(id.label());
                }
            }
            if (!pending.isEmpty()) {
                return new Outcome(false, true, "no aligned pass yet; undecided: " + String.join(", ", pending));
            }
            String reason = notAligned.isEmpty() ? "no DKIM or SPF pass to align with " + author
                    : "not aligned with " + author + ": " + String.join(", ", notAligned);
            return new Outcome(false, false, reason);
        });
    }

    private CompletableFuture<Aligned> aligned(Identifier id) {
        Optional<String> domain = TreeWalk.normalize(id.domain());
        if (domain.isEmpty()) {
            return CompletableFuture.completedFuture(Aligned.NO);
        }
        if (domain.get().equals(author)) {
            return CompletableFuture.completedFuture(Aligned.YES);
        }
        if (id.mode() == Alignment.STRICT) {
            return CompletableFuture.completedFuture(Aligned.NO);
        }
        // Relaxed: the same Organizational Domain. Names that share no label at the end cannot share one.
        String shared = author.substring(author.lastIndexOf('.') + 1);
        if (!domain.get().equals(shared) && !domain.get().endsWith("." + shared)) {
            return CompletableFuture.completedFuture(Aligned.NO);
        }
        if (authorOrganizational.isEmpty()) {
            return CompletableFuture.completedFuture(Aligned.UNKNOWN); // the Author Domain's walk failed above its record
        }
        return organizational.walk(domain.get()).thenApply(walk -> walk.failed() ? Aligned.UNKNOWN
                : walk.organizationalDomain().equals(authorOrganizational) ? Aligned.YES : Aligned.NO);
    }
}
