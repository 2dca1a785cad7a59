package org.sealpost.transport.dkim;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.dnssec.TlsaRecord;

/** TXT records (and host addresses) given by a test, answered SECURE; every other lookup is NXDOMAIN. */
public final class StaticTxt implements DnsResolver {

    private final Map<String, String> txt;
    private final Map<String, String> addresses;

    public StaticTxt(Map<String, String> txt) {
        this(txt, Map.of());
    }

    /** @param addresses one address literal per host name */
    public StaticTxt(Map<String, String> txt, Map<String, String> addresses) {
        this.txt = Map.copyOf(txt);
        this.addresses = Map.copyOf(addresses);
    }

    private static <T> CompletableFuture<DnsAnswer<T>> none() {
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.SECURE, "no such name"));
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return none();
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        String address = addresses.get(host);
        if (address == null) {
            return none();
        }
        try {
            return CompletableFuture.completedFuture(DnsAnswer.found(List.of(InetAddress.getByName(address)), 300,
                    Security.SECURE));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address + " is not an address literal", e);
        }
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
        return addresses(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
        return none();
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> ptr(String name) {
        return none();
    }

    @Override
    public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return none();
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        String record = txt.get(name);
        return record == null ? none() : CompletableFuture.completedFuture(DnsAnswer.found(List.of(record), 300, Security.SECURE));
    }
}
