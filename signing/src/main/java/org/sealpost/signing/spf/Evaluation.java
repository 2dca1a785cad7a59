package org.sealpost.signing.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.sealpost.dnssec.Outcome;

/**
 * One check_host() call (RFC 7208 4) with everything its recursion shares: the client, the sender
 * and the two counters of 4.6.4 (DNS-querying terms and void lookups), which is also what ends a
 * loop through include or redirect. Lookups are chained futures; nothing here waits.
 */
final class Evaluation {

    /** RFC 7208 4.6.4: at most 10 terms that query DNS, and at most 2 lookups that find nothing. */
    static final int DNS_TERM_LIMIT = 10;
    static final int VOID_LOOKUP_LIMIT = 2;
    /** RFC 7208 4.6.4: at most 10 MX names (more is a permerror) and 10 PTR names (the rest are ignored). */
    static final int MX_LIMIT = 10;
    static final int PTR_LIMIT = 10;

    /** Ends the whole evaluation with a temperror or permerror, from however deep in the recursion. */
    static final class Abort extends RuntimeException {
        final SpfVerdict verdict;

        Abort(SpfResult result, String reason) {
            super(reason, null, false, false);
            this.verdict = SpfVerdict.of(result, reason);
        }
    }

    private final SpfDns dns;
    private final InetAddress ip;
    private final String sender;
    private final String helo;
    private final String receiver;
    private final long now;
    private int dnsTerms;
    private int voidLookups;

    Evaluation(SpfDns dns, InetAddress ip, String sender, String helo, String receiver, long now) {
        this.dns = dns;
        this.ip = ip;
        this.sender = sender;
        this.helo = helo;
        this.receiver = receiver;
        this.now = now;
    }

    /** check_host() for the top-level domain: every failure becomes a verdict. */
    CompletableFuture<SpfVerdict> run(String domain) {
        CompletableFuture<SpfVerdict> result;
        try {
            result = checkHost(domain);
        } catch (Abort abort) {
            result = CompletableFuture.completedFuture(abort.verdict);
        }
        return result.exceptionally(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof Abort abort) {
                return abort.verdict;
            }
            return SpfVerdict.of(SpfResult.TEMPERROR, "the check failed: " + cause);
        });
    }

    /** RFC 7208 4.4 to 4.7: fetch, select, parse, evaluate; include and redirect come back here. */
    private CompletableFuture<SpfVerdict> checkHost(String domain) {
        String problem = SpfChecker.domainProblem(domain);
        if (problem != null) {
            return done(SpfResult.NONE, problem);
        }
        return dns.txt(domain).thenCompose(answer -> {
            if (answer.temporary()) {
                throw new Abort(SpfResult.TEMPERROR, "the TXT lookup of " + domain + " failed: " + outcome(answer));
            }
            List<String> spf = answer.records().stream().filter(SpfRecord::isSpf).toList();
            if (spf.isEmpty()) {
                return done(SpfResult.NONE, domain + " publishes no SPF record");
            }
            if (spf.size() > 1) {
                // RFC 7208 4.5: more than one record is a permerror, even when they are identical.
                throw new Abort(SpfResult.PERMERROR, domain + " publishes " + spf.size() + " SPF records (RFC 7208 4.5 allows one)");
            }
            SpfRecord record;
            try {
                record = SpfRecord.parse(spf.get(0));
            } catch (SyntaxError e) {
                throw new Abort(SpfResult.PERMERROR, "the SPF record of " + domain + " is malformed: " + e.getMessage());
            }
            return directives(record, domain, 0);
        });
    }

    /** The directives left to right; the first match decides (4.6.2), else redirect (6.1), else neutral (4.7). */
    private CompletableFuture<SpfVerdict> directives(SpfRecord record, String domain, int index) {
        if (index == record.directives().size()) {
            if (record.redirect() == null) {
                return done(SpfResult.NEUTRAL, "no mechanism matched in the SPF record of " + domain);
            }
            countDnsTerm(domain, "redirect");
            return expand(record.redirect(), domain).thenCompose(target -> checkHost(target).thenApply(verdict -> {
                // RFC 7208 6.1: a redirect to a domain without an SPF record is a permerror.
                if (verdict.result() == SpfResult.NONE) {
                    throw new Abort(SpfResult.PERMERROR, "the redirect of " + domain + " names " + target
                            + ", which has no SPF record");
                }
                return verdict;
            }));
        }
        Term.Directive directive = record.directives().get(index);
        if (directive.mechanism().queriesDns()) {
            countDnsTerm(domain, directive.text());
        }
        return matches(directive, domain).thenCompose(matched -> {
            if (!matched) {
                return directives(record, domain, index + 1);
            }
            SpfVerdict verdict = SpfVerdict.of(directive.qualifier(), "'" + directive.text() + "' matched in the SPF record of "
                    + domain);
            if (directive.qualifier() != SpfResult.FAIL) {
                return CompletableFuture.completedFuture(verdict);
            }
            CompletableFuture<String> published = record.exp() == null ? CompletableFuture.completedFuture("")
                    : explanation(record.exp(), domain);
            return published.thenApply(text -> verdict.withExplanation(text.isEmpty() ? defaultExplanation(domain) : text));
        });
    }

    private CompletableFuture<Boolean> matches(Term.Directive directive, String domain) {
        return switch (directive.mechanism()) {
            case ALL -> CompletableFuture.completedFuture(true);
            case IP4, IP6 -> CompletableFuture.completedFuture(Addresses.inNetwork(ip, directive.network(),
                    ip instanceof Inet4Address ? directive.cidr4() : directive.cidr6()));
            case INCLUDE -> target(directive, domain).thenCompose(this::checkHost).thenApply(verdict -> include(verdict, directive));
            case A -> target(directive, domain).thenCompose(name -> addresses(name, true))
                    .thenApply(addresses -> anyInNetwork(addresses, directive));
            case MX -> target(directive, domain).thenCompose(this::mx).thenApply(addresses -> anyInNetwork(addresses, directive));
            case PTR -> target(directive, domain).thenCompose(target -> validatedNames(target, true)
                    .thenApply(names -> names.stream().anyMatch(name -> within(name, target))));
            case EXISTS -> target(directive, domain).thenCompose(name -> dns.a(name).thenApply(answer -> {
                // RFC 7208 5.7: always an A lookup, whatever the client's address family.
                failOnTemporary(answer, "A", name);
                countVoid(answer, name);
                return answer.outcome() == Outcome.FOUND;
            }));
        };
    }

    /** RFC 7208 5.2: what an included record's result means for the include mechanism. */
    private static boolean include(SpfVerdict verdict, Term.Directive directive) {
        return switch (verdict.result()) {
            case PASS -> true;
            case FAIL, SOFTFAIL, NEUTRAL -> false;
            case TEMPERROR, PERMERROR -> throw new Abort(verdict.result(), verdict.reason());
            case NONE -> throw new Abort(SpfResult.PERMERROR, "'" + directive.text() + "' names a domain without an SPF record ("
                    + verdict.reason() + ")");
        };
    }

    private boolean anyInNetwork(List<InetAddress> addresses, Term.Directive directive) {
        int prefix = ip instanceof Inet4Address ? directive.cidr4() : directive.cidr6();
        return addresses.stream().anyMatch(address -> Addresses.inNetwork(ip, address, prefix));
    }

    /** The A or AAAA records of a name, for the client's address family (RFC 7208 5). */
    private CompletableFuture<List<InetAddress>> addresses(String name, boolean countVoid) {
        boolean v4 = ip instanceof Inet4Address;
        return (v4 ? dns.a(name) : dns.aaaa(name)).thenApply(answer -> {
            failOnTemporary(answer, v4 ? "A" : "AAAA", name);
            if (countVoid) {
                countVoid(answer, name);
            }
            return answer.records();
        });
    }

    /** RFC 7208 5.4: the addresses of every MX host; more than 10 MX names is a permerror (4.6.4). */
    private CompletableFuture<List<InetAddress>> mx(String domain) {
        return dns.mx(domain).thenCompose(answer -> {
            failOnTemporary(answer, "MX", domain);
            countVoid(answer, domain);
            List<String> hosts = answer.records().stream().filter(h -> !h.isEmpty()).toList();
            if (hosts.size() > MX_LIMIT) {
                throw new Abort(SpfResult.PERMERROR, domain + " has " + hosts.size() + " MX records; RFC 7208 4.6.4 allows "
                        + MX_LIMIT + " in an mx mechanism");
            }
            CompletableFuture<List<InetAddress>> all = CompletableFuture.completedFuture(new ArrayList<>());
            for (String host : hosts) {
                all = all.thenCompose(list -> addresses(host, false).thenApply(found -> {
                    list.addAll(found);
                    return list;
                }));
            }
            return all;
        });
    }

    /**
     * RFC 7208 5.5: the client's PTR names (the first 10) whose own addresses include the client.
     * A failed PTR lookup only means no names; a failed address lookup skips that name.
     */
    private CompletableFuture<List<String>> validatedNames(String target, boolean countVoid) {
        return dns.ptr(Addresses.reverseName(ip)).thenCompose(answer -> {
            if (countVoid && !answer.temporary()) {
                countVoid(answer, Addresses.reverseName(ip));
            }
            List<String> names = answer.records().stream().limit(PTR_LIMIT).map(Evaluation::normal).toList();
            CompletableFuture<List<String>> validated = CompletableFuture.completedFuture(new ArrayList<>());
            for (String name : names) {
                boolean v4 = ip instanceof Inet4Address;
                validated = validated.thenCompose(list -> (v4 ? dns.a(name) : dns.aaaa(name)).thenApply(addresses -> {
                    if (addresses.records().stream().anyMatch(ip::equals)) {
                        list.add(name);
                    }
                    return list;
                }));
            }
            return validated;
        });
    }

    /** RFC 7208 7.3 %{p}: a validated name equal to the domain, else one below it, else any, else "unknown". */
    private CompletableFuture<String> validatedName(String domain) {
        return validatedNames(domain, false).thenApply(names -> names.stream().filter(domain::equalsIgnoreCase).findFirst()
                .or(() -> names.stream().filter(n -> within(n, domain)).findFirst())
                .or(() -> names.stream().findFirst()).orElse("unknown"));
    }

    private static boolean within(String name, String domain) {
        String n = normal(name);
        String d = normal(domain);
        return n.equals(d) || n.endsWith("." + d);
    }

    /** The domain a mechanism names, or the current domain (RFC 7208 4.8). */
    private CompletableFuture<String> target(Term.Directive directive, String domain) {
        return directive.domain() == null ? CompletableFuture.completedFuture(domain) : expand(directive.domain(), domain);
    }

    /** Expands a domain-spec for a query: no final dot, at most 253 characters (RFC 7208 7.3). */
    private CompletableFuture<String> expand(MacroString spec, String domain) {
        return values(spec, domain).thenApply(values -> {
            String name = spec.expand(values);
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            while (name.length() > 253 && name.indexOf('.') >= 0) {
                name = name.substring(name.indexOf('.') + 1);
            }
            return name;
        });
    }

    private CompletableFuture<MacroValues> values(MacroString spec, String domain) {
        CompletableFuture<String> validated = spec.needsValidatedName() ? validatedName(domain)
                : CompletableFuture.completedFuture("unknown");
        return validated.thenApply(p -> new MacroValues(sender, domain, ip, helo, p, receiver, now));
    }

    /**
     * RFC 7208 6.2: the explanation of a fail, from the TXT record the exp domain-spec names. Any
     * trouble (no record, several, a lookup error, bad macros) means no explanation, not an error.
     */
    private CompletableFuture<String> explanation(MacroString exp, String domain) {
        return expand(exp, domain).thenCompose(name -> SpfChecker.domainProblem(name) != null
                ? CompletableFuture.completedFuture("")
                : dns.txt(name).thenCompose(answer -> {
                    if (answer.records().size() != 1) {
                        return CompletableFuture.completedFuture("");
                    }
                    MacroString text;
                    try {
                        text = MacroString.parse(answer.records().get(0), true);
                    } catch (SyntaxError e) {
                        return CompletableFuture.completedFuture("");
                    }
                    return values(text, domain).thenApply(text::expand);
                })).exceptionally(failure -> "");
    }

    /** RFC 7208 6.2: the explanation of a fail when the domain gives none that can be used. */
    String defaultExplanation(String domain) {
        return domain + " does not designate " + Addresses.readable(ip) + " as a permitted sender of mail from " + sender;
    }

    private void countDnsTerm(String domain, String term) {
        if (++dnsTerms > DNS_TERM_LIMIT) {
            throw new Abort(SpfResult.PERMERROR, "'" + term + "' in the SPF record of " + domain + " is term "
                    + dnsTerms + " that queries DNS; RFC 7208 4.6.4 allows " + DNS_TERM_LIMIT);
        }
    }

    /** RFC 7208 4.6.4: a lookup that answers NXDOMAIN or no records is void; more than 2 is a permerror. */
    private void countVoid(SpfDns.Answer<?> answer, String name) {
        if ((answer.outcome() == Outcome.NXDOMAIN || answer.outcome() == Outcome.NODATA) && ++voidLookups > VOID_LOOKUP_LIMIT) {
            throw new Abort(SpfResult.PERMERROR, "the lookup of " + name + " is void lookup " + voidLookups
                    + " (nothing found); RFC 7208 4.6.4 allows " + VOID_LOOKUP_LIMIT);
        }
    }

    private static void failOnTemporary(SpfDns.Answer<?> answer, String type, String name) {
        if (answer.temporary()) {
            throw new Abort(SpfResult.TEMPERROR, "the " + type + " lookup of " + name + " failed: " + outcome(answer));
        }
    }

    /** How a failed lookup ended, with the resolver's reason when it gave one (a DNSSEC failure, a CNAME loop). */
    private static String outcome(SpfDns.Answer<?> answer) {
        String outcome = answer.outcome().name().toLowerCase(Locale.ROOT);
        return answer.reason().isEmpty() ? outcome : outcome + ", " + answer.reason();
    }

    private static String normal(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static CompletableFuture<SpfVerdict> done(SpfResult result, String reason) {
        return CompletableFuture.completedFuture(SpfVerdict.of(result, reason));
    }
}
