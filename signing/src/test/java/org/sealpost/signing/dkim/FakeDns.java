package org.sealpost.signing.dkim;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.dnssec.TlsaRecord;

/** TXT answers from a map, for tests and benchmarks: names not in it are NXDOMAIN. */
public class FakeDns implements DnsResolver {

    private final Map<String, DnsAnswer<String>> answers = new HashMap<>();
    final AtomicInteger lookups = new AtomicInteger();

    public FakeDns txt(String name, String... records) {
        return answer(name, DnsAnswer.found(List.of(records), 300, Security.INSECURE));
    }

    public FakeDns secureTxt(String name, String... records) {
        return answer(name, DnsAnswer.found(List.of(records), 300, Security.SECURE));
    }

    public FakeDns answer(String name, DnsAnswer<String> answer) {
        answers.put(normal(name), answer);
        return this;
    }

    public FakeDns fail(String name, Outcome outcome) {
        return answer(name, DnsAnswer.failed(outcome, Security.INSECURE, outcome.name().toLowerCase()));
    }

    /**
     * Mail::DKIM's FAKE_DNS.dat form: "name value" lines, the value a TXT record, or NXDOMAIN,
     * ~~Query timed out~~, ~~SERVFAIL~~; "" is an empty record; # starts a comment.
     */
    public static FakeDns fromLines(List<String> lines) {
        FakeDns dns = new FakeDns();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int space = trimmed.indexOf(' ');
            String name = trimmed.substring(0, space);
            String value = trimmed.substring(space + 1).strip();
            switch (value) {
                case "NXDOMAIN" -> dns.fail(name, Outcome.NXDOMAIN);
                case "~~Query timed out~~" -> dns.fail(name, Outcome.TIMEOUT);
                case "~~SERVFAIL~~" -> dns.fail(name, Outcome.SERVFAIL);
                case "\"\"" -> dns.txt(name, "");
                default -> dns.txt(name, value);
            }
        }
        return dns;
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        lookups.incrementAndGet();
        DnsAnswer<String> answer = answers.get(normal(name));
        return CompletableFuture.completedFuture(answer != null ? answer
                : DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "no such name"));
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "test"));
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "test"));
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "test"));
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "test"));
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> ptr(String name) {
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "test"));
    }

    @Override
    public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "test"));
    }

    private static String normal(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
