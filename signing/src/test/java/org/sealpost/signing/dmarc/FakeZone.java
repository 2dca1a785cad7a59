package org.sealpost.signing.dmarc;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * An in-memory zone for DMARC tests: TXT records and hosts by name; a name that is neither given
 * nor above a given name is NXDOMAIN (an empty non-terminal is NODATA, RFC 8020); failures by name.
 */
final class FakeZone implements DnsResolver {

    private final Map<String, List<String>> txt = new HashMap<>();
    private final Set<String> hosts = new HashSet<>();
    private final Map<String, Outcome> failures = new HashMap<>();
    final List<String> asked = new ArrayList<>();

    FakeZone txt(String name, String... records) {
        txt.computeIfAbsent(name, n -> new ArrayList<>()).addAll(List.of(records));
        return this;
    }

    FakeZone dmarc(String domain, String record) {
        return txt("_dmarc." + domain, record);
    }

    /** A name with an A record. */
    FakeZone host(String name) {
        hosts.add(name);
        return this;
    }

    FakeZone fail(String name, Outcome outcome) {
        failures.put(name, outcome);
        return this;
    }

    private boolean exists(String name) {
        String suffix = "." + name;
        return txt.keySet().stream().anyMatch(n -> n.equals(name) || n.endsWith(suffix))
                || hosts.stream().anyMatch(n -> n.equals(name) || n.endsWith(suffix));
    }

    private <T> DnsAnswer<T> answer(String type, String name, List<T> records) {
        String key = name.toLowerCase(Locale.ROOT);
        asked.add(type + " " + key);
        Outcome failure = failures.get(key);
        if (failure != null) {
            return DnsAnswer.failed(failure, Security.INSECURE, "test failure");
        }
        if (!records.isEmpty()) {
            return DnsAnswer.found(records, 300, Security.INSECURE);
        }
        return DnsAnswer.failed(exists(key) ? Outcome.NODATA : Outcome.NXDOMAIN, Security.INSECURE, "");
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        return CompletableFuture.completedFuture(answer("TXT", name, txt.getOrDefault(name.toLowerCase(Locale.ROOT), List.of())));
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        List<InetAddress> found = new ArrayList<>();
        if (hosts.contains(host.toLowerCase(Locale.ROOT))) {
            try {
                found.add(InetAddress.getByName("192.0.2.1"));
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        return CompletableFuture.completedFuture(answer("A", host, found));
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
        return addresses(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
        return CompletableFuture.completedFuture(answer("AAAA", host, List.of()));
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> ptr(String name) {
        return CompletableFuture.completedFuture(answer("PTR", name, List.of()));
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return CompletableFuture.completedFuture(answer("MX", domain, List.of()));
    }

    @Override
    public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return CompletableFuture.completedFuture(answer("TLSA", name, List.of()));
    }
}
