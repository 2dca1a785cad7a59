package org.sealpost.transport.smtp.client;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.TlsaRecord;

/** A resolver that asks another for everything; a test overrides the one lookup it changes. */
class ForwardingResolver implements DnsResolver {

    private final DnsResolver dns;

    ForwardingResolver(DnsResolver dns) {
        this.dns = dns;
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return dns.mx(domain);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        return dns.addresses(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
        return dns.a(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
        return dns.aaaa(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> ptr(String name) {
        return dns.ptr(name);
    }

    @Override
    public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return dns.tlsa(name);
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        return dns.txt(name);
    }
}
