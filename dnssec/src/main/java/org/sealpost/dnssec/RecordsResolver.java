package org.sealpost.dnssec;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** The typed lookups shared by the resolvers; each subclass decides only how answers are trusted. */
abstract class RecordsResolver implements DnsResolver {

    private final Records records;

    RecordsResolver(Lookups lookups) {
        this.records = new Records(lookups);
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return records.mx(domain);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        return records.addresses(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
        return records.a(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
        return records.aaaa(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> ptr(String name) {
        return records.ptr(name);
    }

    @Override
    public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return records.tlsa(name);
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        return records.txt(name);
    }
}
