package org.sealpost.signing.dmarc;

import java.net.IDN;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.Security;

/**
 * The DNS Tree Walk of RFC 9989 4.10: DMARC records from a domain up towards the root, at most
 * eight queries, stopping at a record with psd=y or psd=n; and the Organizational Domain chosen
 * from what it found (RFC 9989 4.10.2), with no public suffix list.
 */
final class TreeWalk {

    /** RFC 9989 4.10: names with more labels than this are shortened to seven before the walk goes on. */
    static final int MAX_QUERIES = 8;

    private final DnsResolver dns;

    TreeWalk(DnsResolver dns) {
        this.dns = dns;
    }

    /** A single valid DMARC record found at {@code _dmarc.DOMAIN}. */
    record Found(String domain, DmarcRecord record) {
    }

    /**
     * What one walk saw.
     *
     * @param start     the domain the walk started from
     * @param queried   the names asked, in order ({@code _dmarc.} prefixed)
     * @param found     the names with exactly one DMARC record, longest first
     * @param temporary why the walk could not finish ("" when it did)
     * @param notes     names whose records were discarded, and why
     */
    record Result(String start, List<String> queried, List<Found> found, String temporary, List<String> notes) {

        boolean failed() {
            return !temporary.isEmpty();
        }

        Optional<Found> at(String domain) {
            return found.stream().filter(f -> f.domain().equals(domain)).findFirst();
        }

        /**
         * RFC 9989 4.10.2, from the longest name to the shortest: psd=n names itself; psd=y (other
         * than at the start) names the domain one label below it; otherwise the shortest name with a
         * record; with no record at all, the start itself.
         */
        String organizationalDomain() {
            for (Found f : found) {
                if (f.record().psd() == Psd.NO) {
                    return f.domain();
                }
                if (f.record().psd() == Psd.YES && !f.domain().equals(start)) {
                    return lastLabels(start, labels(f.domain()).size() + 1);
                }
            }
            return found.isEmpty() ? start : found.get(found.size() - 1).domain();
        }

        /** The record of a Public Suffix Domain above the start (psd=y), where the walk stopped. */
        Optional<Found> publicSuffix() {
            return found.stream().filter(f -> f.record().psd() == Psd.YES && !f.domain().equals(start)).findFirst();
        }
    }

    CompletableFuture<Result> walk(String domain) {
        List<String> targets = targets(domain);
        Result empty = new Result(domain, List.of(), List.of(), "", List.of());
        return step(targets, 0, empty);
    }

    private CompletableFuture<Result> step(List<String> targets, int index, Result sofar) {
        if (index >= targets.size()) {
            return CompletableFuture.completedFuture(sofar);
        }
        String target = targets.get(index);
        String name = "_dmarc." + target;
        return dns.txt(name).thenCompose(answer -> {
            List<String> queried = append(sofar.queried(), name);
            String temporary = temporary(name, answer);
            if (!temporary.isEmpty()) {
                // A failure anywhere leaves open which record applies and where the Organizational
                // Domain is, so the walk stops with a temporary failure (RFC 9989 5.3.6).
                return CompletableFuture.completedFuture(
                        new Result(sofar.start(), queried, sofar.found(), temporary, sofar.notes()));
            }
            List<DmarcRecord> records = answer.found()
                    ? answer.records().stream().map(DmarcRecord::parse).flatMap(Optional::stream).toList()
                    : List.of();
            List<Found> found = sofar.found();
            List<String> notes = sofar.notes();
            if (records.size() > 1) {
                // RFC 9989 4.10 step 2: several DMARC records at one name are all discarded.
                notes = append(notes, name + " has " + records.size() + " DMARC records; all are discarded");
            } else if (records.size() == 1) {
                found = append(found, new Found(target, records.get(0)));
            }
            Result next = new Result(sofar.start(), queried, found, "", notes);
            // RFC 9989 4.10 steps 2 and 6: a single record with psd=y or psd=n ends the walk.
            if (records.size() == 1 && records.get(0).psd() != Psd.UNKNOWN) {
                return CompletableFuture.completedFuture(next);
            }
            return step(targets, index + 1, next);
        });
    }

    private static String temporary(String name, DnsAnswer<String> answer) {
        if (answer.security() == Security.BOGUS) {
            return "TXT " + name + " failed DNSSEC validation: " + answer.reason();
        }
        if (answer.outcome().isTemporary()) {
            return "TXT " + name + ": " + answer.outcome().name() + (answer.reason().isEmpty() ? "" : " (" + answer.reason() + ")");
        }
        return "";
    }

    /**
     * The domains the walk asks about, in order (RFC 9989 4.10 steps 3 to 7, 4.10.1): the domain
     * itself, then, for a name of more than eight labels, its last seven, otherwise its parent; then
     * each parent up to the single last label.
     */
    static List<String> targets(String domain) {
        List<String> labels = labels(domain);
        List<String> targets = new ArrayList<>();
        targets.add(domain);
        int next = labels.size() > MAX_QUERIES ? MAX_QUERIES - 1 : labels.size() - 1;
        for (int count = next; count >= 1; count--) {
            targets.add(lastLabels(domain, count));
        }
        return targets;
    }

    static List<String> labels(String domain) {
        return Arrays.asList(domain.split("\\."));
    }

    private static String lastLabels(String domain, int count) {
        List<String> labels = labels(domain);
        return String.join(".", labels.subList(labels.size() - count, labels.size()));
    }

    /**
     * A domain in the form the walk compares: A-labels (RFC 9989 5.3.1, RFC 5890 2.3), lower case
     * (RFC 4343), no final dot; empty when it is not a domain name.
     */
    static Optional<String> normalize(String domain) {
        if (domain == null) {
            return Optional.empty();
        }
        String name = domain.strip();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        try {
            name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (name.isEmpty() || name.length() > 253) {
            return Optional.empty();
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || !label.chars().allMatch(c -> c == '-' || c == '_'
                    || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return Optional.empty();
            }
        }
        return Optional.of(name);
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return List.copyOf(copy);
    }
}
