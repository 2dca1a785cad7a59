package org.sealpost.dnssec;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.sealpost.cache.Expiring;
import org.sealpost.cache.TtlCache;

/**
 * Keeps answers for as long as their TTL says (clamped to the configured minimum and maximum):
 * positive answers by their records' TTL, denials by the SOA's negative TTL (RFC 2308), and
 * failures (timeouts, SERVFAIL, BOGUS) for the minimum only, so a broken zone is not asked again
 * at once yet recovers quickly (RFC 9520).
 */
public final class CachingDnsResolver implements DnsResolver {

    private record Key(String type, String name) {
    }

    private record Cached(DnsAnswer<?> answer) implements Expiring {
        @Override
        public Duration timeToLive() {
            boolean failed = answer.security() == Security.BOGUS || answer.outcome().isTemporary();
            return failed ? Duration.ZERO : Duration.ofSeconds(answer.ttlSeconds());
        }
    }

    private final DnsResolver upstream;
    private final TtlCache<Key, Cached> cache;

    public CachingDnsResolver(DnsResolver upstream, long maximumEntries, Duration minimumTtl, Duration maximumTtl) {
        this.upstream = upstream;
        this.cache = new TtlCache<>(maximumEntries, minimumTtl, maximumTtl);
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return cached("MX", domain, upstream::mx);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        return cached("A+AAAA", host, upstream::addresses);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
        return cached("A", host, upstream::a);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
        return cached("AAAA", host, upstream::aaaa);
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> ptr(String name) {
        return cached("PTR", name, upstream::ptr);
    }

    @Override
    public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return cached("TLSA", name, upstream::tlsa);
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        return cached("TXT", name, upstream::txt);
    }

    /** Hits, misses and evictions, for the operator. */
    public CacheStats stats() {
        return cache.stats();
    }

    @SuppressWarnings("unchecked") // each key's type fixes the answer's record type
    private <T> CompletableFuture<DnsAnswer<T>> cached(String type, String name,
            Function<String, CompletableFuture<DnsAnswer<T>>> lookup) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String normalized = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        return cache.get(new Key(type, normalized), key -> lookup.apply(normalized).thenApply(Cached::new))
                .thenApply(cached -> (DnsAnswer<T>) cached.answer());
    }
}
