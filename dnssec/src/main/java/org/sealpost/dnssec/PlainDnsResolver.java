package org.sealpost.dnssec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Asks recursive resolvers and believes them without validation: every answer is INSECURE. It is
 * the lookup behind {@link DnsResolver} until DNSSEC validation is configured.
 */
public final class PlainDnsResolver implements DnsResolver {

    private final ExtendedResolver resolver;

    /**
     * @param servers the recursive resolvers to ask, in order; empty means those of /etc/resolv.conf
     * @param timeout how long to wait for one server before the next is asked
     */
    public PlainDnsResolver(List<InetSocketAddress> servers, Duration timeout) {
        List<InetSocketAddress> targets = servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : servers;
        List<org.xbill.DNS.Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress target : targets) {
            SimpleResolver simple = new SimpleResolver(target);
            simple.setTimeout(timeout);
            resolvers.add(simple);
        }
        this.resolver = new ExtendedResolver(resolvers);
        this.resolver.setTimeout(timeout);
        this.resolver.setRetries(2);
        // EDNS0 with a 1232-octet UDP payload; a truncated answer is retried over TCP by dnsjava.
        this.resolver.setEDNS(0, 1232, 0, List.of());
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return query(domain, Type.MX, record -> {
            MXRecord mx = (MXRecord) record;
            return new MxRecord(mx.getPriority(), hostName(mx.getTarget()));
        });
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        CompletableFuture<DnsAnswer<InetAddress>> v4 = query(host, Type.A, r -> ((ARecord) r).getAddress());
        CompletableFuture<DnsAnswer<InetAddress>> v6 = query(host, Type.AAAA, r -> ((AAAARecord) r).getAddress());
        return v4.thenCombine(v6, PlainDnsResolver::merge);
    }

    /** A and AAAA together: records of either count; a failure of both is reported as the A failure. */
    static DnsAnswer<InetAddress> merge(DnsAnswer<InetAddress> v4, DnsAnswer<InetAddress> v6) {
        if (!v4.found() && !v6.found()) {
            boolean temporary = v4.outcome().isTemporary() || v6.outcome().isTemporary();
            return temporary && !v4.outcome().isTemporary() ? v6 : v4;
        }
        List<InetAddress> all = new ArrayList<>(v4.records());
        all.addAll(v6.records());
        long ttl = !v4.found() ? v6.ttlSeconds() : !v6.found() ? v4.ttlSeconds() : Math.min(v4.ttlSeconds(), v6.ttlSeconds());
        return DnsAnswer.found(all, ttl, Security.INSECURE);
    }

    private <T> CompletableFuture<DnsAnswer<T>> query(String name, int type, Function<Record, T> convert) {
        Name qname;
        try {
            qname = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(
                    DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "'" + name + "' is not a domain name"));
        }
        Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
        query.getHeader().setFlag(Flags.RD);
        return resolver.sendAsync(query).toCompletableFuture()
                .thenApply(response -> answer(response, type, convert, name))
                .exceptionally(failure -> failed(failure, name, type));
    }

    private static <T> DnsAnswer<T> answer(Message response, int type, Function<Record, T> convert, String name) {
        int rcode = response.getRcode();
        String what = Type.string(type) + " " + name;
        if (rcode == Rcode.NXDOMAIN) {
            return DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, what + ": no such domain");
        }
        if (rcode != Rcode.NOERROR) {
            return DnsAnswer.failed(Outcome.SERVFAIL, Security.INSECURE, what + ": " + Rcode.string(rcode));
        }
        List<T> records = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        // The answer section may start with a CNAME chain; the records of the asked type follow it.
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record.getType() == type) {
                records.add(convert.apply(record));
                ttl = Math.min(ttl, record.getTTL());
            }
        }
        if (records.isEmpty()) {
            return DnsAnswer.failed(Outcome.NODATA, Security.INSECURE, what + ": no records of that type");
        }
        return DnsAnswer.found(records, ttl, Security.INSECURE);
    }

    private static <T> DnsAnswer<T> failed(Throwable failure, String name, int type) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        Outcome outcome = cause instanceof TimeoutException || String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT)
                .contains("timed out") ? Outcome.TIMEOUT : Outcome.SERVFAIL;
        return DnsAnswer.failed(outcome, Security.INSECURE, Type.string(type) + " " + name + ": " + cause);
    }

    private static String hostName(Name name) {
        String text = name.toString(true);
        return text.equals(".") ? "" : text.toLowerCase(Locale.ROOT);
    }
}
