package org.sealpost.transport.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.Outcome;

/**
 * Whether the relay can do its work: every listener bound, the queue writable, DNS answering. Each
 * check is cheap: the queue check writes and removes one empty file, and the DNS check asks the
 * resolvers (not the answer cache) at most once per {@link #DNS_CHECK_INTERVAL}, however often the
 * endpoint is asked.
 */
public final class Health {

    /** How long a DNS check's result is reused, so that a busy monitor does not become DNS load. */
    static final Duration DNS_CHECK_INTERVAL = Duration.ofSeconds(5);

    /** One check: its name, whether it passed, and what was found. */
    public record Check(String name, boolean ok, String detail) {
    }

    private final Map<String, Supplier<String>> listeners;
    private final Path queueFolder;
    private final DnsResolver dns;
    private final String probeName;
    private final Duration dnsTimeout;
    private final Clock clock;
    private Check lastDns;
    private Instant lastDnsAt;

    /**
     * @param listeners per listener name, the address it is bound to, or null when it is not bound
     * @param queueFolder where the queue writes its files as they arrive (queue_directory/incoming)
     * @param dns the resolvers behind the cache
     * @param probeName the name looked up (the relay's hostname): any answer, even NXDOMAIN, shows the
     *     resolvers answer
     */
    public Health(Map<String, Supplier<String>> listeners, Path queueFolder, DnsResolver dns, String probeName,
            Duration dnsTimeout, Clock clock) {
        this.listeners = new LinkedHashMap<>(listeners);
        this.queueFolder = queueFolder;
        this.dns = dns;
        this.probeName = probeName;
        this.dnsTimeout = dnsTimeout;
        this.clock = clock;
    }

    /** Every check, listeners first. */
    public List<Check> check() {
        List<Check> checks = new ArrayList<>();
        listeners.forEach((name, bound) -> {
            String address = bound.get();
            checks.add(new Check("listener " + name, address != null, address != null ? "bound to " + address
                    : "not bound: it accepts no connections"));
        });
        checks.add(queue());
        checks.add(dns());
        return checks;
    }

    private Check queue() {
        try {
            Path probe = Files.createTempFile(queueFolder, ".health-", "");
            Files.delete(probe);
            return new Check("queue", true, "writable: " + queueFolder);
        } catch (IOException | RuntimeException e) {
            return new Check("queue", false, "cannot write in " + queueFolder + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private synchronized Check dns() {
        Instant now = clock.instant();
        if (lastDns == null || !now.isBefore(lastDnsAt.plus(DNS_CHECK_INTERVAL))) {
            lastDns = lookup();
            lastDnsAt = now;
        }
        return lastDns;
    }

    /** RFC 1035 4.1.1: NXDOMAIN and NODATA are answers too; silence, SERVFAIL or a failure to ask is not. */
    private Check lookup() {
        try {
            DnsAnswer<?> answer = dns.a(probeName).get(dnsTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer.outcome().isTemporary()) {
                // SERVFAIL too: it is also what a resolver that cannot be reached (port unreachable) comes to,
                // and a resolver that fails its own host's name fails the names of the mail as well.
                return new Check("dns", false, "no answer for " + probeName + " A (" + answer.outcome().name()
                        .toLowerCase() + "): " + answer.reason());
            }
            return new Check("dns", true, "answers (" + probeName + " A: " + answer.outcome().name().toLowerCase() + ")");
        } catch (TimeoutException e) {
            return new Check("dns", false, "no answer for " + probeName + " A within " + dnsTimeout.toMillis() + " ms");
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return new Check("dns", false, "cannot ask for " + probeName + " A: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check("dns", false, "interrupted");
        }
    }
}
