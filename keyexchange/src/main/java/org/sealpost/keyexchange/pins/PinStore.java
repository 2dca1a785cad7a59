package org.sealpost.keyexchange.pins;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.sealpost.cache.DurableStore;

/**
 * The pins per MX host and port ("mx.example.net:25"): a Caffeine cache in front of the durable
 * store, which is the truth. Writes go to the store on one thread of their own, in order, never
 * on an event loop; a new pin completes only once it is on disk, so a pin that took part in a
 * delivery survives a crash.
 *
 * <p>Safe under concurrent deliveries: each update is atomic per host, and a set never replaces
 * one with a higher serial, so two deliveries racing with an old and a new set keep the new one.
 * Entries are read from the store again after {@code reload}, so that `sealpost pins forget`,
 * run in another process, takes effect in a running relay within that time.
 */
public final class PinStore implements AutoCloseable {

    /** A pin in memory, with the last-seen time the store holds (written back at most hourly). */
    private record Entry(Optional<Pin> pin, Instant storedLastSeen) {
    }

    static final Duration LAST_SEEN_WRITE_INTERVAL = Duration.ofHours(1);

    private final DurableStore durable;
    private final LoadingCache<String, Entry> memory;
    /** The DKIM domains that some pinned key set names, so that a receiver asks about a domain only when one does. */
    private final Set<String> dkimDomains = ConcurrentHashMap.newKeySet();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "pin-store-writer");
        thread.setDaemon(true);
        return thread;
    });

    public PinStore(DurableStore durable) {
        this(durable, 10_000, Duration.ofMinutes(1));
    }

    /**
     * @param maximumSize the most hosts kept in memory (the store keeps them all)
     * @param reload how long a host's pin is trusted in memory before it is read from the store again
     */
    public PinStore(DurableStore durable, long maximumSize, Duration reload) {
        this.durable = durable;
        long reloadNanos = reload.toNanos();
        this.memory = Caffeine.newBuilder().maximumSize(maximumSize)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry value, long now) {
                        return reloadNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry value, long now, long remaining) {
                        return remaining; // counted from the load: a busy host is re-read too
                    }

                    @Override
                    public long expireAfterRead(String key, Entry value, long now, long remaining) {
                        return remaining;
                    }
                })
                .build(this::load);
        index();
    }

    /** Reads every stored pin once, for {@link #namesDkimDomain}. */
    private void index() {
        java.util.List<String> keys;
        try {
            keys = durable.keys();
        } catch (IOException e) {
            return; // the store's folder is checked where the relay opens it
        }
        for (String key : keys) {
            try {
                Optional<byte[]> stored = durable.get(key);
                if (stored.isPresent()) {
                    index(Pin.decode(stored.get()));
                }
            } catch (IOException | InvalidKeySetException e) {
                // An unreadable record is set aside by the store when it is read for its host.
            }
        }
    }

    private void index(Pin pin) {
        for (KeySet.Dkim dkim : pin.set().dkim()) {
            dkimDomains.add(dkim.domain().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Whether some key set pinned by this relay (now or since it started; a pin forgotten by another
     * process may still count) names DKIM selectors for the domain. False means no held pin speaks
     * for it, so an arriving message from the domain needs no lookup of its MX hosts.
     */
    public boolean namesDkimDomain(String domain) {
        return dkimDomains.contains(domain.toLowerCase(Locale.ROOT));
    }

    private Entry load(String hostPort) {
        try {
            Optional<byte[]> stored = durable.get(hostPort);
            if (stored.isEmpty()) {
                return new Entry(Optional.empty(), Instant.EPOCH);
            }
            Pin pin = Pin.decode(stored.get());
            return new Entry(Optional.of(pin), pin.lastSeen());
        } catch (IOException | InvalidKeySetException e) {
            // An unreadable record is set aside by the store; the host is met as a first contact.
            return new Entry(Optional.empty(), Instant.EPOCH);
        }
    }

    public Optional<Pin> get(String hostPort) {
        return memory.get(hostPort).pin();
    }

    /**
     * Pins a set for a host, unless the host already has one with a higher serial (then false).
     * Completes once the pin is on disk.
     */
    public CompletableFuture<Boolean> pin(String hostPort, Pin pin) {
        boolean[] taken = new boolean[1];
        memory.asMap().compute(hostPort, (key, entry) -> {
            Entry current = entry == null ? load(key) : entry;
            if (current.pin().isPresent() && current.pin().get().set().serial() > pin.set().serial()) {
                return current;
            }
            taken[0] = true;
            index(pin);
            return new Entry(Optional.of(pin), pin.lastSeen());
        });
        if (!taken[0]) {
            return CompletableFuture.completedFuture(false);
        }
        return CompletableFuture.supplyAsync(() -> {
            // The newest pin in memory, which a later update may have put there since.
            Entry latest = memory.asMap().get(hostPort);
            write(hostPort, latest != null && latest.pin().isPresent() ? latest.pin().get() : pin);
            return true;
        }, writer);
    }

    /** Records that the host presented its pinned set again; the store hears of it hourly. */
    public void seen(String hostPort, Instant now) {
        Entry updated = memory.asMap().computeIfPresent(hostPort, (key, entry) -> entry.pin().isEmpty() ? entry
                : new Entry(Optional.of(new Pin(entry.pin().get().set(), entry.pin().get().firstSeen(), now)),
                        entry.storedLastSeen()));
        if (updated == null || updated.pin().isEmpty()
                || Duration.between(updated.storedLastSeen(), now).compareTo(LAST_SEEN_WRITE_INTERVAL) < 0) {
            return;
        }
        memory.asMap().computeIfPresent(hostPort, (key, entry) -> new Entry(entry.pin(), now));
        Pin pin = updated.pin().get();
        writer.execute(() -> {
            try {
                // Only a refresh of a record that still exists: a forgotten pin must not come back.
                Optional<byte[]> stored = durable.get(hostPort);
                if (stored.isPresent() && Pin.decode(stored.get()).set().equals(pin.set())) {
                    durable.put(hostPort, new Pin(pin.set(), pin.firstSeen(), now).encode());
                }
            } catch (IOException | InvalidKeySetException e) {
                // The last-seen time is for people; the pin itself is unchanged.
            }
        });
    }

    private void write(String hostPort, Pin pin) {
        try {
            durable.put(hostPort, pin.encode());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the pin of " + hostPort, e);
        }
    }

    /** Removes a pin (`sealpost pins forget HOST`): the next contact is a first contact. */
    public boolean forget(String hostPort) throws IOException {
        boolean removed = durable.remove(hostPort);
        memory.invalidate(hostPort);
        return removed;
    }

    /** Waits for the writes in flight. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
