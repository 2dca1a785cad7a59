package org.sealpost.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingDnsResolverTest {

    /** Counts lookups; answers MX with the given answer. */
    private static final class Counting implements DnsResolver {
        final AtomicInteger lookups = new AtomicInteger();
        volatile DnsAnswer<MxRecord> mx = DnsAnswer.found(List.of(new MxRecord(10, "mx.example.net")), 300, Security.SECURE);

        @Override
        public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
            lookups.incrementAndGet();
            return CompletableFuture.completedFuture(mx);
        }

        @Override
        public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DnsAnswer<String>> ptr(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DnsAnswer<String>> txt(String name) {
            throw new UnsupportedOperationException();
        }
    }

    private final Counting upstream = new Counting();
    private final CachingDnsResolver cache = new CachingDnsResolver(upstream, 100, Duration.ofSeconds(1), Duration.ofHours(1));

    @Test
    void repeatedLookup_isAnsweredFromTheCache_caseAndDotInsensitive() {
        DnsAnswer<MxRecord> first = cache.mx("Example.NET").join();
        assertSame(first, cache.mx("example.net.").join());
        assertEquals(1, upstream.lookups.get());
        assertEquals(1, cache.stats().hitCount());
    }

    @Test
    void bogusAnswer_isKeptOnlyForTheMinimum() throws Exception {
        upstream.mx = DnsAnswer.failed(Outcome.SERVFAIL, Security.BOGUS, "signature expired");
        assertEquals(Security.BOGUS, cache.mx("broken.example").join().security());
        cache.mx("broken.example").join();
        assertEquals(1, upstream.lookups.get());
        Thread.sleep(1200);
        cache.mx("broken.example").join();
        assertEquals(2, upstream.lookups.get());
    }
}
