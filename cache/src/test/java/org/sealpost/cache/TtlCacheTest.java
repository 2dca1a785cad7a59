package org.sealpost.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TtlCacheTest {

    record Answer(String text, Duration timeToLive) implements Expiring {
    }

    private final AtomicLong nanos = new AtomicLong();
    private final TtlCache<String, Answer> cache =
            new TtlCache<>(100, Duration.ofSeconds(5), Duration.ofHours(1), nanos::get);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
        cache.stats(); // let Caffeine see the new time on the next access
    }

    @Test
    void entry_expiresWithItsOwnTtl() {
        cache.put("a", new Answer("a", Duration.ofSeconds(60)));
        advance(Duration.ofSeconds(59));
        assertNotNull(cache.getIfPresent("a"));
        advance(Duration.ofSeconds(2));
        assertNull(cache.getIfPresent("a"));
    }

    @Test
    void tinyTtl_isRaisedToTheMinimum_andHugeTtl_cutToTheMaximum() {
        cache.put("zero", new Answer("zero", Duration.ZERO));
        cache.put("week", new Answer("week", Duration.ofDays(7)));
        advance(Duration.ofSeconds(4));
        assertNotNull(cache.getIfPresent("zero"));
        advance(Duration.ofSeconds(2));
        assertNull(cache.getIfPresent("zero"));
        advance(Duration.ofMinutes(60));
        assertNull(cache.getIfPresent("week"));
    }

    @Test
    void concurrentLookups_shareOneLoad_andCountHits() {
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<Answer> pending = new CompletableFuture<>();
        CompletableFuture<Answer> first = cache.get("k", key -> {
            loads.incrementAndGet();
            return pending;
        });
        CompletableFuture<Answer> second = cache.get("k", key -> {
            loads.incrementAndGet();
            return pending;
        });
        pending.complete(new Answer("v", Duration.ofSeconds(30)));
        assertEquals("v", first.join().text());
        assertEquals("v", second.join().text());
        assertEquals(1, loads.get());
        assertEquals(1, cache.stats().hitCount());
    }

    @Test
    void failedLoad_isNotKept() {
        CompletableFuture<Answer> failed = cache.get("k", key -> CompletableFuture.failedFuture(new IllegalStateException("down")));
        assertThrows(Exception.class, failed::join);
        assertEquals("ok", cache.get("k", key -> CompletableFuture.completedFuture(new Answer("ok", Duration.ofSeconds(9)))).join().text());
    }

    @Test
    void minimumAboveMaximum_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TtlCache<String, Answer>(1, Duration.ofHours(2), Duration.ofHours(1)));
    }
}
