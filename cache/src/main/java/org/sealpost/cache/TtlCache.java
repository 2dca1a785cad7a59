package org.sealpost.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An asynchronous cache whose entries live as long as their value's own time-to-live, clamped to
 * [minimum, maximum]. Concurrent lookups of one key share one load; a load that fails is not kept.
 */
public final class TtlCache<K, V extends Expiring> {

    private final AsyncCache<K, V> cache;

    /**
     * @param maximumSize the most entries kept; the least useful are evicted first
     * @param minimum the shortest time an entry is kept (a TTL of 0 is raised to this)
     * @param maximum the longest time an entry is kept, whatever its TTL says
     */
    public TtlCache(long maximumSize, Duration minimum, Duration maximum) {
        this(maximumSize, minimum, maximum, Ticker.systemTicker());
    }

    TtlCache(long maximumSize, Duration minimum, Duration maximum, Ticker ticker) {
        if (minimum.compareTo(maximum) > 0) {
            throw new IllegalArgumentException("the minimum TTL " + minimum + " exceeds the maximum " + maximum);
        }
        long min = minimum.toNanos();
        long max = maximum.toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker)
                .recordStats()
                .expireAfter(new Expiry<K, V>() {
                    @Override
                    public long expireAfterCreate(K key, V value, long now) {
                        return Math.max(min, Math.min(max, value.timeToLive().toNanos()));
                    }

                    @Override
                    public long expireAfterUpdate(K key, V value, long now, long current) {
                        return expireAfterCreate(key, value, now);
                    }

                    @Override
                    public long expireAfterRead(K key, V value, long now, long current) {
                        return current; // reading does not extend a TTL
                    }
                })
                .buildAsync();
    }

    /** The cached value, or the value {@code loader} produces (once, however many ask at the same time). */
    public CompletableFuture<V> get(K key, Function<K, CompletableFuture<V>> loader) {
        return cache.get(key, (k, executor) -> loader.apply(k));
    }

    /** The cached value, or null when there is none (or it is still loading). */
    public V getIfPresent(K key) {
        CompletableFuture<V> future = cache.getIfPresent(key);
        return future != null && future.isDone() && !future.isCompletedExceptionally() ? future.join() : null;
    }

    public void put(K key, V value) {
        cache.put(key, CompletableFuture.completedFuture(value));
    }

    public void invalidate(K key) {
        cache.synchronous().invalidate(key);
    }

    /** Hits, misses, loads and evictions since the start. */
    public CacheStats stats() {
        return cache.synchronous().stats();
    }

    public long size() {
        return cache.synchronous().estimatedSize();
    }
}
