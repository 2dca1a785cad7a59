package org.sealpost.dnssec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One query through a dnsjava resolver, turned into a {@link DnsAnswer}: the records of the type
 * asked (after any CNAME chain in the answer), the smallest TTL, the outcome, and the security
 * that {@code judge} reads from the response.
 */
final class Lookups {

    /** How far a response can be trusted, and why (for BOGUS). */
    record Verdict(Security security, String reason) {
    }

    private final Resolver resolver;
    private final Function<Message, Verdict> judge;

    Lookups(Resolver resolver, Function<Message, Verdict> judge) {
        this.resolver = resolver;
        this.judge = judge;
    }

    <T> CompletableFuture<DnsAnswer<T>> query(String name, int type, Function<Record, T> convert) {
        Name qname;
        try {
            qname = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(
                    DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "'" + name + "' is not a domain name"));
        }
        Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
        query.getHeader().setFlag(Flags.RD);
        // RFC 6840 5.7: asking with AD set requests the AD bit in the answer.
        query.getHeader().setFlag(Flags.AD);
        return resolver.sendAsync(query).toCompletableFuture()
                .thenApply(response -> answer(response, type, convert, name))
                .exceptionally(failure -> failed(failure, name, type));
    }

    private <T> DnsAnswer<T> answer(Message response, int type, Function<Record, T> convert, String name) {
        Verdict verdict = judge.apply(response);
        int rcode = response.getRcode();
        String what = Type.string(type) + " " + name;
        if (verdict.security() == Security.BOGUS) {
            return DnsAnswer.failed(Outcome.SERVFAIL, Security.BOGUS, what + ": " + verdict.reason());
        }
        if (rcode == Rcode.NXDOMAIN) {
            return new DnsAnswer<>(Outcome.NXDOMAIN, List.of(), negativeTtl(response), verdict.security(),
                    what + ": no such domain", "");
        }
        if (rcode != Rcode.NOERROR) {
            return DnsAnswer.failed(Outcome.SERVFAIL, verdict.security(), what + ": " + Rcode.string(rcode));
        }
        List<T> records = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        String owner = "";
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record.getType() == type) {
                records.add(convert.apply(record));
                ttl = Math.min(ttl, record.getTTL());
                owner = record.getName().toString(true).toLowerCase(Locale.ROOT);
            }
        }
        if (records.isEmpty()) {
            return new DnsAnswer<>(Outcome.NODATA, List.of(), negativeTtl(response), verdict.security(),
                    what + ": no records of that type", "");
        }
        return DnsAnswer.found(records, ttl, verdict.security()).ownedBy(owner);
    }

    /** RFC 2308 5: a denial may be cached for the smaller of the SOA's TTL and its MINIMUM field. */
    private static long negativeTtl(Message response) {
        for (Record record : response.getSection(Section.AUTHORITY)) {
            if (record instanceof SOARecord soa) {
                return Math.min(soa.getTTL(), soa.getMinimum());
            }
        }
        return 0;
    }

    private static <T> DnsAnswer<T> failed(Throwable failure, String name, int type) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        Outcome outcome = cause instanceof TimeoutException || String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT)
                .contains("timed out") ? Outcome.TIMEOUT : Outcome.SERVFAIL;
        return DnsAnswer.failed(outcome, Security.INSECURE, Type.string(type) + " " + name + ": " + cause);
    }
}
