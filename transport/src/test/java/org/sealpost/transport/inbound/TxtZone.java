package org.sealpost.transport.inbound;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.dnssec.TlsaRecord;

/**
 * TXT and MX records given by a test, answered SECURE (an empty MX list is NODATA); names given as failing
 * SERVFAIL; everything else NXDOMAIN.
 */
final class TxtZone implements DnsResolver {

    private final Map<String, String> txt;
    private final Set<String> servfail;
    private final Map<String, List<String>> mx;

    TxtZone(Map<String, String> txt, Set<String> servfail) {
        this(txt, servfail, Map.of());
    }

    /** @param mx the exchange names per domain, preference 10 each */
    TxtZone(Map<String, String> txt, Set<String> servfail, Map<String, List<String>> mx) {
        this.txt = Map.copyOf(txt);
        this.servfail = Set.copyOf(servfail);
        this.mx = Map.copyOf(mx);
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private <T> CompletableFuture<DnsAnswer<T>> none(String name) {
        return CompletableFuture.completedFuture(servfail.contains(key(name))
                ? DnsAnswer.failed(Outcome.SERVFAIL, Security.INSECURE, "SERVFAIL from the test zone")
                : DnsAnswer.failed(Outcome.NXDOMAIN, Security.SECURE, "no such name"));
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        List<String> hosts = mx.get(key(domain));
        if (hosts != null && !servfail.contains(key(domain))) {
            return CompletableFuture.completedFuture(hosts.isEmpty()
                    ? DnsAnswer.failed(Outcome.NODATA, Security.SECURE, "no MX records")
                    : DnsAnswer.found(hosts.stream().map(h -> new MxRecord(10, h)).toList(), 300, Security.SECURE));
        }
        return none(domain);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        return none(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
        return none(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
        return none(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> ptr(String name) {
        return none(name);
    }

    @Override
    public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return none(name);
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        String record = txt.get(key(name));
        return record == null ? none(name)
                : CompletableFuture.completedFuture(DnsAnswer.found(List.of(record), 300, Security.SECURE));
    }
}
