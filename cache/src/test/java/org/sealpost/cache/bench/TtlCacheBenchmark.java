package org.sealpost.cache.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sealpost.cache.Expiring;
import org.sealpost.cache.TtlCache;

/** The cost of a cache hit, beside a bare ConcurrentHashMap lookup as the floor. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TtlCacheBenchmark {

    record Answer(String text, Duration timeToLive) implements Expiring {
    }

    private final TtlCache<String, Answer> cache = new TtlCache<>(10_000, Duration.ofSeconds(5), Duration.ofDays(1));
    private final ConcurrentHashMap<String, Answer> map = new ConcurrentHashMap<>();
    private final String[] keys = new String[1000];
    private int next;

    @Setup
    public void fill() {
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "mx" + i + ".example.net";
            Answer answer = new Answer("10 " + keys[i], Duration.ofHours(1));
            cache.put(keys[i], answer);
            map.put(keys[i], answer);
        }
    }

    private String key() {
        next = (next + 1) % keys.length;
        return keys[next];
    }

    @Benchmark
    public Answer ttlCacheHit() {
        return cache.get(key(), k -> CompletableFuture.failedFuture(new IllegalStateException("miss"))).join();
    }

    @Benchmark
    public Answer ttlCacheGetIfPresent() {
        return cache.getIfPresent(key());
    }

    @Benchmark
    public Answer concurrentHashMapFloor() {
        return map.get(key());
    }
}
