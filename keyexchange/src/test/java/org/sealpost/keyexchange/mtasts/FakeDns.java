package org.sealpost.keyexchange.mtasts;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.dnssec.TlsaRecord;

/** TXT records and host addresses set by the test; other names do not exist. */
final class FakeDns implements DnsResolver {

    final Map<String, DnsAnswer<String>> txt = new ConcurrentHashMap<>();
    final Map<String, DnsAnswer<InetAddress>> addresses = new ConcurrentHashMap<>();

    FakeDns txt(String name, String... records) {
        txt.put(name, DnsAnswer.found(List.of(records), 300, Security.INSECURE));
        return this;
    }

    FakeDns host(String name, String ip) throws Exception {
        addresses.put(name, DnsAnswer.found(List.of(InetAddress.getByName(ip)), 300, Security.INSECURE));
        return this;
    }

    private static <T> CompletableFuture<DnsAnswer<T>> nxdomain() {
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "no such name"));
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        DnsAnswer<String> answer = txt.get(name);
        return answer == null ? nxdomain() : CompletableFuture.completedFuture(answer);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        DnsAnswer<InetAddress> answer = addresses.get(host);
        return answer == null ? nxdomain() : CompletableFuture.completedFuture(answer);
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return nxdomain();
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
        return addresses(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
        return nxdomain();
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> ptr(String name) {
        return nxdomain();
    }

    @Override
    public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return nxdomain();
    }
}
