package org.sealpost.transport.smtp.client;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;

/**
 * DNS answers set by the test; names it does not know are NXDOMAIN, or time out once
 * {@link #offline} is set (a machine whose resolver cannot be reached).
 */
final class FakeDns implements DnsResolver {

    final Map<String, DnsAnswer<MxRecord>> mx = new HashMap<>();
    final Map<String, DnsAnswer<InetAddress>> addresses = new HashMap<>();
    /** Every name asked for, as "TYPE name". */
    final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile boolean offline;
    int mxLookups;

    FakeDns mx(String domain, MxRecord... records) {
        mx.put(domain, DnsAnswer.found(List.of(records), 300, Security.INSECURE));
        return this;
    }

    FakeDns host(String name, String... ips) throws Exception {
        InetAddress[] list = new InetAddress[ips.length];
        for (int i = 0; i < ips.length; i++) {
            list[i] = InetAddress.getByName(ips[i]);
        }
        addresses.put(name, DnsAnswer.found(List.of(list), 300, Security.INSECURE));
        return this;
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        mxLookups++;
        asked.add("MX " + domain);
        if (offline && !mx.containsKey(domain)) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.TIMEOUT, Security.INSECURE, "timed out"));
        }
        return CompletableFuture.completedFuture(mx.getOrDefault(domain, addresses.containsKey(domain)
                ? DnsAnswer.failed(Outcome.NODATA, Security.INSECURE, "no MX")
                : DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "no such domain")));
    }

    @Override
    public CompletableFuture<DnsAnswer<org.sealpost.dnssec.TlsaRecord>> tlsa(String name) {
        asked.add("TLSA " + name);
        if (offline) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.TIMEOUT, Security.INSECURE, "timed out"));
        }
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "no TLSA"));
    }

    /** The A or AAAA half of {@link #addresses}, as the resolver's separate lookups give it. */
    private CompletableFuture<DnsAnswer<InetAddress>> family(String host, Class<? extends InetAddress> type) {
        return addresses(host).thenApply(all -> {
            if (!all.found()) {
                return all;
            }
            List<InetAddress> some = all.records().stream().filter(type::isInstance).toList();
            return some.isEmpty() ? DnsAnswer.failed(Outcome.NODATA, Security.INSECURE, "no records of that family")
                    : DnsAnswer.found(some, all.ttlSeconds(), all.security());
        });
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
        return family(host, java.net.Inet4Address.class);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
        return family(host, java.net.Inet6Address.class);
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> ptr(String name) {
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "no PTR"));
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "no TXT"));
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        asked.add("A " + host);
        if (offline && !addresses.containsKey(host)) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.TIMEOUT, Security.INSECURE, "timed out"));
        }
        return CompletableFuture.completedFuture(addresses.getOrDefault(host,
                DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "no such host")));
    }
}
